using DtsPowerShell.Engine.Schema;

namespace DtsPowerShell.Engine.Tests.Schema;

public sealed class KeysetRangeTests
{
    [Fact]
    public void ARangeIsWrittenTermByTermFromAfterOneKeyThroughAnother()
    {
        var one = new KeysetRange(["`id`"]);
        Assert.Equal("", one.Where);
        Assert.Equal(" WHERE ((`id` > 5))", one.Between(["5"], null).Where);
        Assert.Equal(" WHERE ((`id` > 5)) AND ((`id` <= 9))", one.Between(["5"], ["9"]).Where);
        Assert.Equal(" ORDER BY `id`", one.OrderBy);

        var two = new KeysetRange(["`a`", "`b`"], ["@a0", "@a1"], ["@t0", "@t1"]);
        Assert.Equal(" WHERE ((`a` > @a0) OR (`a` = @a0 AND `b` > @a1)) AND ((`a` < @t0) OR (`a` = @t0 AND `b` <= @t1))", two.Where);
        Assert.Throws<ArgumentException>(() => two.Between(["1"], null).Where);
    }
}
