'use strict';
// Benchmark peer: uploads files with Huawei's official Node.js SDK (esdk-obs-nodejs), the way its documentation
// shows: uploadFile (PartSize, TaskNum, EnableCheckpoint) for a file larger than a part, putObject for the others.
//
//   node upload.js --endpoint URL --bucket B --key-prefix P --part-size N --task-num N --checkpoint-dir DIR
//                  [--region R] FILE...
//
// The SDK is found through NODE_PATH (eng/benchmark.sh installs it outside the tree). Credentials come from
// OBS_ACCESS_KEY_ID / OBS_SECRET_ACCESS_KEY. Larger files go one at a time, each with TaskNum parts in flight; the
// others TaskNum at a time. Prints one "done KEY" line per file, or "failed KEY: REASON"; exits 1 on any failure.
const fs = require('node:fs');
const path = require('node:path');
const ObsClient = require('esdk-obs-nodejs');

function parseArguments(argv) {
  const options = { region: 'us-east-1', files: [] };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument.startsWith('--')) {
      const name = argument.slice(2).replace(/-(\w)/g, (_, letter) => letter.toUpperCase());
      options[name] = argv[++index];
    } else {
      options.files.push(argument);
    }
  }

  for (const required of ['endpoint', 'bucket', 'partSize', 'taskNum', 'checkpointDir']) {
    if (options[required] === undefined) {
      throw new Error(`missing --${required.replace(/[A-Z]/g, (letter) => '-' + letter.toLowerCase())}`);
    }
  }

  options.keyPrefix = options.keyPrefix || '';
  options.partSize = Number(options.partSize);
  options.taskNum = Number(options.taskNum);
  return options;
}

/** An SDK call as a promise: resolves with its result, rejects on a transport error or an HTTP status >= 300. */
function call(method, parameters) {
  return new Promise((resolve, reject) => {
    method(parameters, (error, result) => {
      if (error) {
        reject(new Error(String(error)));
      } else if (!result || result.CommonMsg.Status >= 300) {
        reject(new Error(result ? `${result.CommonMsg.Status} ${result.CommonMsg.Code} ${result.CommonMsg.Message}` : 'no result'));
      } else {
        resolve(result);
      }
    });
  });
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  const client = new ObsClient({
    access_key_id: process.env.OBS_ACCESS_KEY_ID,
    secret_access_key: process.env.OBS_SECRET_ACCESS_KEY,
    server: options.endpoint,
    path_style: true,
    // 3.26.8 signs V2 whatever is asked ('v4' too); 'obs' needs an OBS server. Swift and the sink take V2.
    signature: 'v2',
    region: options.region,
    // Keep-alive, as every other tool in the benchmark uses; the SDK's default is a new connection per request.
    long_conn_param: 60,
  });
  // The client finishes configuring itself asynchronously: a request made in the same tick fails ("Cannot read
  // properties of null (reading 'signature')").
  await new Promise((resolve) => setImmediate(resolve));

  const statOf = (file) => fs.statSync(file).size;
  const large = options.files.filter((file) => statOf(file) > options.partSize);
  const small = options.files.filter((file) => statOf(file) <= options.partSize);
  const keyOf = (file) => options.keyPrefix + path.basename(file);
  let failures = 0;
  const report = async (file, upload) => {
    try {
      await upload();
      console.log(`done ${keyOf(file)}`);
    } catch (error) {
      failures++;
      console.log(`failed ${keyOf(file)}: ${error.message}`);
    }
  };

  for (const file of large) {
    await report(file, () => call(client.uploadFile.bind(client), {
      Bucket: options.bucket,
      Key: keyOf(file),
      UploadFile: file,
      PartSize: options.partSize,
      TaskNum: options.taskNum,
      EnableCheckpoint: true,
      CheckpointFile: path.join(options.checkpointDir, path.basename(file) + '.upload_record'),
    }));
  }

  let next = 0;
  const worker = async () => {
    while (next < small.length) {
      const file = small[next++];
      await report(file, () => call(client.putObject.bind(client), { Bucket: options.bucket, Key: keyOf(file), SourceFile: file }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.taskNum, small.length) }, worker));
  client.close();
  return failures === 0 ? 0 : 1;
}

main().then((code) => { process.exitCode = code; }, (error) => {
  console.error(error.message);
  process.exitCode = 2;
});
