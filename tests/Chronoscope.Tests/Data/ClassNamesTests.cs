using Chronoscope.Data;

namespace Chronoscope.Tests.Data;

public sealed class ClassNamesTests
{
    private static readonly string[] GunPoint = ["1", "2"];

    [Theory]
    [InlineData("1=Gun,2=Point", "Gun|Point")]
    [InlineData(" 2 = Point ", "1|Point")]         // by label, one class named, spaces ignored
    [InlineData("Gun,Point", "Gun|Point")]           // no '=': names in class order
    [InlineData("Gun", "Gun|2")]                     // fewer names than classes: the rest keep their labels
    [InlineData("2=a=b", "1|a=b")]                   // the first '=' separates label and name
    public void Should_Read_Names_By_Label_Or_In_Class_Order(string text, string expected)
    {
        Assert.Equal(expected.Split('|'), ClassNames.Parse(text).Resolve(GunPoint));
    }

    [Fact]
    public void Should_Name_By_Index_As_The_Reference_Lbl_Dict_And_By_Label_For_Numeric_Labels()
    {
        // ECG200's labels are -1 and 1; the vocabulary puts -1 first, so index 0 is -1
        string[] ecg = ["-1", "1"];
        var byIndex = ClassNames.ByIndex(new Dictionary<int, string> { [0] = "Normal", [1] = "Myocardial Infarction" });
        var byLabel = ClassNames.ByLabel(new Dictionary<string, string> { ["1"] = "Myocardial Infarction", ["-1"] = "Normal" });

        Assert.Equal(["Normal", "Myocardial Infarction"], byIndex.Resolve(ecg));
        Assert.Equal(["Normal", "Myocardial Infarction"], byLabel.Resolve(ecg));
    }

    [Theory]
    [InlineData("1=Gun,Point", "expected every entry as label=name (1=Gun,2=Point), found \"Point\" without '='")]
    [InlineData("1=Gun,1=Point", "label \"1\" is named twice")]
    [InlineData("1=,2=Point", "expected label=name with both sides filled, found \"1=\"")]
    [InlineData("Gun,,Point", "found an empty name")]
    [InlineData("", "found an empty name")]
    public void Should_Say_What_Is_Wrong_With_A_Names_Text(string text, string message)
    {
        var error = Assert.Throws<FormatException>(() => ClassNames.Parse(text));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Refuse_Names_For_Classes_The_Vocabulary_Lacks()
    {
        var label = Assert.Throws<ArgumentException>(() => ClassNames.Parse("1=Gun,3=Rifle,4=Bow").Resolve(GunPoint));
        var index = Assert.Throws<ArgumentException>(() => ClassNames.ByIndex(["Gun", "Point", "Rifle"]).Resolve(GunPoint));

        Assert.StartsWith("Class names: no class labelled \"3\", \"4\"; the classes are 1, 2.", label.Message, StringComparison.Ordinal);
        Assert.StartsWith("Class names: no class 2; expected indices 0 to 1 for the 2 classes 1, 2.", index.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ClassNames.ByIndex(new Dictionary<int, string> { [-1] = "x" }));
        Assert.Throws<ArgumentException>(() => ClassNames.ByLabel(new Dictionary<string, string> { ["1"] = " " }));
    }

    [Theory]
    [InlineData("1=a,2=a", "a")]
    [InlineData("a,a", "a")]
    [InlineData("2=1", "1")] // class 2 named as class 1's label, which class 1 keeps
    public void Should_Refuse_Names_That_Would_Name_Two_Classes_Alike(string text, string twice)
    {
        var error = Assert.Throws<ArgumentException>(() => ClassNames.Parse(text).Resolve(GunPoint));
        Assert.StartsWith($"Class names: \"{twice}\" would name two classes; give each its own name.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Gun,Point")]
    [InlineData("1=Gun,2=Point")]
    public void Should_Write_Itself_As_It_Reads(string text)
    {
        Assert.Equal(text, ClassNames.Parse(text).ToString());
    }
}
