using DtsPowerShell.Engine.Precheck.Checks;

namespace DtsPowerShell.Engine.Tests.Precheck;

public class CharsetsCheckTests
{
    [Fact]
    public void Lists_the_collations_the_target_lacks_ignoring_case()
    {
        var available = new HashSet<string>(["utf8mb4_general_ci", "latin1_swedish_ci"], StringComparer.OrdinalIgnoreCase);
        Assert.Equal(["utf8mb4_0900_ai_ci"], CharsetsCheck.MissingOnTarget(["UTF8MB4_GENERAL_CI", "utf8mb4_0900_ai_ci"], available));
    }
}
