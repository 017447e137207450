namespace Chronoscope.Tests.Infrastructure;

[CollectionDefinition(nameof(CollectionPauseTests), DisableParallelization = true)]
public sealed class CollectionPauseTestsCollection;

/// <summary>The pause is process-wide, and other tests' collections would end it: these run alone.</summary>
[Collection(nameof(CollectionPauseTests))]
public sealed class CollectionPauseTests
{
    private static void AllocateOnAnotherThread(long bytes)
    {
        var thread = new Thread(() =>
        {
            for (long done = 0; done < bytes; done += 16 << 10)
                GC.KeepAlive(new byte[16 << 10]);
        });
        thread.Start();
        thread.Join();
    }

    [Fact]
    public void Should_Hold_Collections_Off_While_Another_Thread_Allocates_Until_Renewed()
    {
        // Given a pause
        using var pause = CollectionPause.Begin();
        var collections = GC.CollectionCount(0);

        // When another thread allocates 8 MB (many times the youngest generation's usual budget)
        AllocateOnAnotherThread(8L << 20);

        // Then no collection ran; a due renewal collects once and pauses again
        Assert.True(CollectionPause.Active);
        Assert.Equal(collections, GC.CollectionCount(0));
        pause.Renew(due: true);
        Assert.Equal(collections + 1, GC.CollectionCount(0));
        Assert.True(CollectionPause.Active);
        pause.Dispose();
        Assert.False(CollectionPause.Active);
    }

    [Fact]
    public void Should_Renew_Only_Where_One_Fit_Holds_The_Pause()
    {
        var first = CollectionPause.Begin();
        var second = CollectionPause.Begin();
        var collections = GC.CollectionCount(0);

        first.Renew(due: true); // the other fit may be in the middle of a batch
        Assert.Equal(collections, GC.CollectionCount(0));

        second.Dispose();
        Assert.True(CollectionPause.Active);
        first.Renew(due: true);
        Assert.Equal(collections + 1, GC.CollectionCount(0));
        first.Dispose();
        Assert.False(CollectionPause.Active);
    }

    [Fact]
    public void Should_Pause_Again_After_The_Budget_Ran_Out_And_Renew_Past_A_Quarter_Of_It()
    {
        using var pause = CollectionPause.Begin();

        AllocateOnAnotherThread(CollectionPause.Budget + (8L << 20)); // past the budget: a collection ended the pause
        Assert.False(CollectionPause.Active);
        pause.Renew(due: false);
        Assert.True(CollectionPause.Active);

        var collections = GC.CollectionCount(0);
        AllocateOnAnotherThread(CollectionPause.RenewAfter + (1L << 20)); // within the budget, past a quarter
        Assert.Equal(collections, GC.CollectionCount(0));
        pause.Renew(due: false);
        Assert.Equal(collections + 1, GC.CollectionCount(0));
    }
}
