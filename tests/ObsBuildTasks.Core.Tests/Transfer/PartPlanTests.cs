using ObsBuildTasks.Transfer;

namespace ObsBuildTasks.Tests.Transfer;

public sealed class PartPlanTests
{
    private const long KiB = 1024;
    private const long MiB = 1024 * KiB;
    private const long GiB = 1024 * MiB;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(9 * MiB)]
    public void File_that_fits_in_one_part_is_a_single_request(long size)
    {
        var plan = PartPlan.Create(size, UploadFileRequest.DefaultPartSize);

        Assert.True(plan.IsSingleRequest);
        Assert.Equal(size, plan.Length(1));
    }

    [Fact]
    public void One_byte_over_a_part_makes_two_parts_the_second_of_one_byte()
    {
        var plan = PartPlan.Create(9 * MiB + 1, 9 * MiB);

        Assert.Equal(2, plan.PartCount);
        Assert.Equal(9 * MiB, plan.Offset(2));
        Assert.Equal(1, plan.Length(2));
    }

    [Fact]
    public void Exact_multiple_of_the_part_size_has_no_short_part()
    {
        var plan = PartPlan.Create(30 * MiB, 10 * MiB);

        Assert.Equal(3, plan.PartCount);
        Assert.All(plan.PartNumbers, number => Assert.Equal(10 * MiB, plan.Length(number)));
    }

    [Fact]
    public void Part_size_grows_so_no_file_needs_more_than_ten_thousand_parts()
    {
        var size = 200 * GiB + 3;

        var plan = PartPlan.Create(size, 100 * KiB);

        Assert.Equal(UploadFileRequest.MaxPartCount, plan.PartCount);
        Assert.True(plan.PartSize * (plan.PartCount - 1) < size && plan.PartSize * plan.PartCount >= size);
    }

    [Fact]
    public void Ten_thousand_parts_exactly_keep_the_requested_size()
    {
        var plan = PartPlan.Create(10_000 * 100 * KiB, 100 * KiB);

        Assert.Equal(100 * KiB, plan.PartSize);
        Assert.Equal(10_000, plan.PartCount);
    }
}
