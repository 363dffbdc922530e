'use strict';
// Drives Huawei's official OBS SDK for Node.js (esdk-obs-nodejs, a client nobody here wrote) against the OBS front,
// one operation per run:
//   node obs-sdk.js <putObject|multipart|uploadFile> <bucket> <key> <file> [checkpoint file]
// Environment: OBS_SDK_DIR (the folder the SDK is installed in), the OBS_FRONT_* variables of
// `eng/object-store.sh env`, OBS_SDK_TEMPORARY=1 for the temporary credentials. Prints one JSON line.
const fs = require('fs');
const http = require('http');
const path = require('path');
const ObsClient = require(path.join(process.env.OBS_SDK_DIR, 'node_modules', 'esdk-obs-nodejs'));

const [operation, bucket, key, file, checkpointFile] = process.argv.slice(2);
const env = process.env;
const temporary = env.OBS_SDK_TEMPORARY === '1';
// The SDK signs with OBS only for virtual-hosted buckets ({bucket}.localhost); resolve every name to the front.
const agent = new http.Agent({
  keepAlive: true,
  lookup: (host, options, callback) =>
    options && options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4),
});

function check(name, result) {
  const message = result.CommonMsg;
  if (message.Status >= 300) {
    throw new Error(`${name}: ${message.Status} ${message.Code} ${message.Message} (request ${message.RequestId})`);
  }
  return result.InterfaceResult;
}

async function multipart(client) {
  const partSize = 256 * 1024;
  const size = fs.statSync(file).size;
  const { UploadId } = check('initiateMultipartUpload',
    await client.initiateMultipartUpload({ Bucket: bucket, Key: key, ContentType: 'application/zip' }));
  const parts = [];
  for (let offset = 0; offset < size; offset += partSize) {
    const PartNumber = parts.length + 1;
    const { ETag } = check('uploadPart', await client.uploadPart({
      Bucket: bucket, Key: key, UploadId, PartNumber, SourceFile: file, Offset: offset, PartSize: Math.min(partSize, size - offset),
    }));
    parts.push({ PartNumber, ETag });
  }
  const result = check('completeMultipartUpload', await client.completeMultipartUpload({ Bucket: bucket, Key: key, UploadId, Parts: parts }));
  return { etag: result.ETag, parts: parts.length };
}

async function uploadFile(client) {
  // Proof that the checkpoint is used: it exists while parts go up (and is deleted once the upload completes).
  let checkpointSeen = false;
  const result = check('uploadFile', await client.uploadFile({
    Bucket: bucket, Key: key, UploadFile: file, PartSize: 512 * 1024, TaskNum: 3, EnableCheckpoint: true, CheckpointFile: checkpointFile,
    ProgressCallback: () => { checkpointSeen = checkpointSeen || fs.existsSync(checkpointFile); },
  }));
  return { etag: result.ETag, checkpointSeen };
}

async function putObject(client) {
  const result = check('putObject', await client.putObject({ Bucket: bucket, Key: key, SourceFile: file, Metadata: { commit: '4f2a9c1' } }));
  return { etag: result.ETag };
}

(async () => {
  const client = new ObsClient({
    access_key_id: temporary ? env.OBS_FRONT_TEMP_ACCESS_KEY_ID : env.OBS_FRONT_ACCESS_KEY_ID,
    secret_access_key: temporary ? env.OBS_FRONT_TEMP_SECRET_ACCESS_KEY : env.OBS_FRONT_SECRET_ACCESS_KEY,
    security_token: temporary ? env.OBS_FRONT_SECURITY_TOKEN : undefined,
    server: env.OBS_FRONT_ENDPOINT,
    http_agent: agent,
    max_retry_count: 0,
  });
  // The constructor finishes its set-up asynchronously: a call in the same tick fails.
  await new Promise(resolve => setImmediate(resolve));
  const result = await { putObject, multipart, uploadFile }[operation](client);
  console.log(JSON.stringify(result));
  agent.destroy();
})().catch(error => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(1);
});
