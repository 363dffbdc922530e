using ObsBuildTasks.Testing;
using ObsBuildTasks.Testing.Faults;
using ObsBuildTasks.Testing.Store;

namespace ObsBuildTasks.Tests.Integration;

/// <summary>
/// The one-request files of a call are confirmed stored by one object listing per batch instead of a HEAD each, and
/// the listing can only confirm: whatever it does not show exactly as uploaded (or a listing refused or unusable) is
/// asked for with a HEAD, which decides.
/// </summary>
public sealed class StoredObjectListingTests : IAsyncLifetime, IDisposable
{
    private const int TaskNum = 4;
    private readonly TestFiles _files = new();
    private ProxiedStore _store = null!;

    public async Task InitializeAsync() => _store = await ProxiedStore.StartAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Small_files_are_confirmed_by_listings_of_a_batch_each_without_a_head_per_file()
    {
        var requests = NewRequests(12);

        await UploadAllAsync(requests);

        var sent = await _store.SettledRequestsAsync();
        Assert.DoesNotContain(sent, request => request.IsHeadObject());
        Assert.InRange(sent.Count(request => request.IsListObjects()), 1, requests.Count / 2);
    }

    [Fact]
    public async Task A_call_of_one_small_file_is_confirmed_by_a_head_without_a_listing()
    {
        await UploadAllAsync(NewRequests(1));

        var sent = await _store.SettledRequestsAsync();
        Assert.DoesNotContain(sent, request => request.IsListObjects());
        Assert.Single(sent, request => request.IsHeadObject());
    }

    [Fact]
    public async Task Keys_beyond_the_basic_plane_are_found_in_the_order_the_service_lists_them()
    {
        // UTF-8 order puts U+E000 before U+1F600; .NET's ordinal (UTF-16) order puts it after.
        var folder = LocalObjectStore.UniqueKey("");
        var requests = new[] { $"{folder}\uE000.bin", $"{folder}\U0001F600.bin", $"{folder}\U0001F600\uE000.bin" }
            .Select((key, index) => NewRequest(key, index)).ToList();

        await UploadAllAsync(requests);

        Assert.DoesNotContain(await _store.SettledRequestsAsync(), request => request.IsHeadObject());
    }

    [Fact]
    public async Task Put_answered_for_an_object_the_store_never_got_fails_that_file_alone()
    {
        var requests = NewRequests(6);
        var lost = requests[2];
        _store.Proxy.AddRule(FaultRule.Respond(200).WithResponseHeader("ETag", $"\"{TestFiles.Md5(lost.UploadFile)}\"").ForMethod("PUT")
            .ForPathEndingWith(lost.ObjectKey[lost.ObjectKey.LastIndexOf('/')..]));

        var outcomes = await Client().UploadFilesAsync(requests, TaskNum);

        var error = Assert.IsType<ObsException>(Assert.Single(outcomes, outcome => outcome.Error is not null).Error);
        Assert.Equal((ObsErrorKind.IntegrityMismatch, "PutObject", lost), (error.Kind, error.Operation, outcomes[2].Request));
        Assert.Contains("there is no such object", error.Message, StringComparison.Ordinal);
        Assert.Null(await _store.Store.Reader.HashObjectAsync(_store.Bucket, lost.ObjectKey));
    }

    [Fact]
    public async Task Credentials_that_may_not_list_are_answered_by_a_head_per_file_after_one_refused_listing()
    {
        _store.Proxy.AddRule(FaultRule.RespondWithError(403, "AccessDenied").ForMethod("GET").WithQueryParameter("prefix").WithoutQueryParameter("uploads"));
        var requests = NewRequests(8);

        await UploadAllAsync(requests);

        var sent = await _store.SettledRequestsAsync();
        Assert.Single(sent, request => request.IsListObjects());
        Assert.Equal(requests.Count, sent.Count(request => request.IsHeadObject()));
    }

    [Theory]
    [InlineData("<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>{0}</Key><ETag>\"00000000000000000000000000000000\"</ETag><Size>{1}</Size></Contents></ListBucketResult>")]
    [InlineData("<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>{0}</Key><ETag>\"{2}\"</ETag><Size>1</Size></Contents></ListBucketResult>")]
    [InlineData("<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>{0}</Key><ETag>\"{2}\"</ETag><Size>{1}")]
    [InlineData("<ListAllMyBucketsResult><Contents><Key>{0}</Key><ETag>\"{2}\"</ETag><Size>{1}</Size></Contents></ListAllMyBucketsResult>")]
    public async Task Listing_that_does_not_show_the_object_as_uploaded_leaves_it_to_a_head(string listing)
    {
        var request = NewRequest(LocalObjectStore.UniqueKey("listed.bin"), 1);
        var other = NewRequest(LocalObjectStore.UniqueKey("other.bin"), 2);
        var size = new FileInfo(request.UploadFile).Length;
        _store.Proxy.AddRule(FaultRule.RespondWithXml(string.Format(System.Globalization.CultureInfo.InvariantCulture, listing,
            request.ObjectKey, size, TestFiles.Md5(request.UploadFile))).ForMethod("GET").WithQueryParameter("prefix").WithoutQueryParameter("uploads"));

        await UploadAllAsync([request, other]);

        Assert.Equal(2, (await _store.SettledRequestsAsync()).Count(sent => sent.IsHeadObject()));
    }

    [Fact]
    public async Task Files_in_parts_are_still_started_task_num_at_a_time()
    {
        var folder = LocalObjectStore.UniqueKey("");
        var requests = Enumerable.Range(0, 4).Select(index => new UploadFileRequest(_store.Bucket, $"{folder}large-{index}.bin",
            _files.Create($"large-{index}-{Guid.NewGuid():N}.bin", (3 * UploadFileRequest.MinPartSize) + index, index))
        {
            PartSize = UploadFileRequest.MinPartSize,
            TaskNum = 2,
        }).ToList();

        var outcomes = await Client().UploadFilesAsync(requests, taskNum: 2);

        Assert.All(outcomes, outcome => Assert.Null(outcome.Error));
        var sent = await _store.SettledRequestsAsync();
        var firstComplete = sent.First(request => request.IsComplete()).Sequence;
        Assert.Equal(2, sent.Count(request => request.IsInitiate() && request.Sequence < firstComplete));
    }

    private async Task UploadAllAsync(IReadOnlyList<UploadFileRequest> requests)
    {
        var outcomes = await Client().UploadFilesAsync(requests, TaskNum);

        Assert.All(outcomes, outcome => Assert.Null(outcome.Error));
        foreach (var request in requests)
        {
            await _store.AssertStoredEqualsFileAsync(request.ObjectKey, request.UploadFile);
        }
    }

    private List<UploadFileRequest> NewRequests(int count)
    {
        var folder = LocalObjectStore.UniqueKey("");
        return [.. Enumerable.Range(0, count).Select(index => NewRequest($"{folder}small-{index:D2}.bin", index))];
    }

    private UploadFileRequest NewRequest(string key, int seed) =>
        new(_store.Bucket, key, _files.Create($"small-{seed}-{Guid.NewGuid():N}.bin", 1000 + (seed * 4099), seed)) { TaskNum = TaskNum };

    private ObsClient Client() => _store.Client(options => options.MaxRetries = 0);
}
