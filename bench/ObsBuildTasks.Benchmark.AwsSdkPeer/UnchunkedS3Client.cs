using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.S3;
using Amazon.S3.Model;

namespace ObsBuildTasks.Benchmark.AwsSdkPeer;

/// <summary>An S3 client that never sends aws-chunked bodies: PutObject and UploadPart default to them over http
/// (<c>UseChunkEncoding</c> = true), Swift's s3api answers them with 501, and TransferUtility has no setting for it, so
/// each request has it turned off before it is marshalled.</summary>
internal sealed class UnchunkedS3Client(AWSCredentials credentials, AmazonS3Config config) : AmazonS3Client(credentials, config)
{
    /// <inheritdoc/>
    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        base.CustomizeRuntimePipeline(pipeline);
        pipeline.AddHandlerBefore<Marshaller>(new NoChunkEncoding());
    }

    private sealed class NoChunkEncoding : PipelineHandler
    {
        public override void InvokeSync(IExecutionContext executionContext)
        {
            Disable(executionContext.RequestContext.OriginalRequest);
            base.InvokeSync(executionContext);
        }

        public override Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            Disable(executionContext.RequestContext.OriginalRequest);
            return base.InvokeAsync<T>(executionContext);
        }

        private static void Disable(AmazonWebServiceRequest request)
        {
            switch (request)
            {
                case PutObjectRequest put:
                    put.UseChunkEncoding = false;
                    break;
                case UploadPartRequest part:
                    part.UseChunkEncoding = false;
                    break;
            }
        }
    }
}
