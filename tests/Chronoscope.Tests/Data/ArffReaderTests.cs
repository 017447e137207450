using System.Text;
using Chronoscope.Data.Formats;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Data;

public sealed class ArffReaderTests
{
    // Mixed-case keywords, runs of spaces and tabs, comments everywhere (also after @data), quoted names and
    // labels of both kinds, a missing value, a blank line inside the data, trailing whitespace.
    private const string Univariate =
        "% leading comment\n" +
        "@RELATION  'Tiny_TRAIN'\n" +
        "   % indented comment\n" +
        "@Attribute  t1   NUMERIC\n" +
        "@attribute\tt2 real\n" +
        "@ATTRIBUTE t3 integer\n" +
        "@attribute 'the class' { 'a' , \"b\", c}\n" +
        "\n" +
        "@DATA\n" +
        "% comment after @data\n" +
        "1.5, -2 ,3e1,'a'\n" +
        "?,0.25,-0,\"b\"\n" +
        "\n" +
        "4,5,6,c   \n";

    [Theory]
    [InlineData(false, false, true)]
    [InlineData(true, false, true)]
    [InlineData(false, true, true)]
    [InlineData(true, true, false)]
    [InlineData(false, false, false)]
    public void Should_Read_A_Univariate_Arff_With_Every_Tolerated_Quirk(bool byteOrderMark, bool crlf, bool finalNewline)
    {
        // Given the same small ARFF with or without BOM, with LF or CRLF, with or without a final newline
        using var folder = new TempFolder();
        var text = crlf ? Univariate.Replace("\n", "\r\n") : Univariate;
        if (!finalNewline)
            text = text.TrimEnd('\r', '\n');
        var bytes = Encoding.UTF8.GetBytes(text);
        var path = folder.Write("Tiny_TRAIN.arff", byteOrderMark ? [0xEF, 0xBB, 0xBF, .. bytes] : bytes);

        // When it is read
        var dataset = DatasetReader.Read(path);

        // Then the values, missing value and labels are the hand-checked ones
        Assert.Equal("Tiny", dataset.Name);
        Assert.Equal((3, 1, 3), (dataset.Count, dataset.Channels, dataset.Length));
        Assert.Equal(FloatBits.Of([1.5f, -2f, 30f, float.NaN, 0.25f, -0f, 4f, 5f, 6f]), FloatBits.Of(dataset.Values));
        Assert.Equal(["a", "b", "c"], dataset.Labels);
        Assert.Equal(["a", "b", "c"], dataset.Classes);
        Assert.Equal(1, dataset.MissingValueCount);
    }

    [Fact]
    public void Should_Read_A_Relational_Arff_As_Channels_Of_Each_Case()
    {
        // Given a relational ARFF: 2 dimensions of 3 steps per case, labels quoted or not, a class declared but unused
        using var folder = new TempFolder();
        var path = folder.Write("Motion_TEST.arff",
            "@relation Motion\n" +
            "@attribute series relational\n" +
            "  @attribute s0 numeric\n" +
            "  @attribute s1 numeric\n" +
            "  @attribute s2 numeric\n" +
            "@end series\n" +
            "@attribute activity {Walk,Run,Sit}\n" +
            "@data\n" +
            "'1,2,3\\n4,5,6',Walk\n" +
            "\"7,8,9\\n?,11,12\", 'Run'\n");

        // When it is read
        var dataset = DatasetReader.Read(path);

        // Then each case is (C, L) = (2, 3) in file order, and the unused declared class is in the vocabulary
        Assert.Equal("Motion", dataset.Name);
        Assert.Equal((2, 2, 3), (dataset.Count, dataset.Channels, dataset.Length));
        Assert.Equal(FloatBits.Of([1, 2, 3, 4, 5, 6, 7, 8, 9, float.NaN, 11, 12]), FloatBits.Of(dataset.Values));
        Assert.Equal(["Walk", "Run"], dataset.Labels);
        Assert.Equal(["Run", "Sit", "Walk"], dataset.Classes);
        Assert.Equal([1, 0, 1], dataset.ClassCounts());
    }

    [Fact]
    public void Should_Refuse_A_Relational_Case_Whose_Dimensions_Differ_In_Length()
    {
        // Given a relational case whose second dimension has 2 values where the header declares 3
        using var folder = new TempFolder();
        var path = folder.Write("Ragged.arff",
            "@relation Ragged\n@attribute series relational\n@attribute s0 numeric\n@attribute s1 numeric\n@attribute s2 numeric\n" +
            "@end series\n@attribute activity {Walk,Run}\n@data\n'1,2,3\\n4,5,6',Walk\n'1,2,3\\n4,5',Run\n");

        // When it is read
        var error = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(path));

        // Then the message names line 10, the dimension, and the declared count (variable-length relational ARFF is refused)
        Assert.Equal(10, error.Line);
        Assert.Equal($"{path}(10): expected 3 values in dimension 2 (from the 3 numeric attributes of series), found 2.", error.Message);
    }

    [Fact]
    public void Should_Read_A_Relational_Arff_Without_Class_Attribute_As_Unlabelled()
    {
        // Given a relational ARFF that declares no class attribute after @end
        using var folder = new TempFolder();
        var path = folder.Write("Unlabelled.arff",
            "@relation Unlabelled\n@attribute series relational\n@attribute s0 numeric\n@attribute s1 numeric\n@end series\n" +
            "@data\n'1,2\\n3,4'\n'5,6\\n7,8'\n");

        // When it is read
        var dataset = DatasetReader.Read(path);

        // Then it has values and no labels
        Assert.Null(dataset.Labels);
        Assert.Empty(dataset.Classes);
        Assert.Equal([1f, 2, 3, 4, 5, 6, 7, 8], dataset.Values.ToArray());
    }

    [Fact]
    public void Should_Refuse_A_Univariate_Arff_Whose_Last_Attribute_Is_Not_Nominal()
    {
        // Given an ARFF whose last attribute is numeric (a regression target, or no class at all)
        using var folder = new TempFolder();
        var path = folder.Write("Regression.arff", "@relation R\n@attribute a numeric\n@attribute target numeric\n@data\n1,2\n");

        // When it is read
        var error = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(path));

        // Then the message points at the attribute's line and says what is expected
        Assert.Equal(3, error.Line);
        Assert.Contains("expected the class attribute last, nominal like @attribute target {1,2}, found numeric attribute target", error.Message);
    }
}
