using Chronoscope.Data.Formats;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Data;

public sealed class TsReaderTests
{
    [Fact]
    public void Should_Read_Header_Tags_In_Any_Order_And_Any_Case()
    {
        // Given a .ts file whose tags are shuffled, mixed-case, between comments, with a comment among the cases
        using var folder = new TempFolder();
        var path = folder.Write("Tiny_TEST.ts",
            "# comment\n" +
            "@classLabel true up down\n" +
            "@seriesLength 3\n" +
            "@EQUALLENGTH true\n" +
            "@univariate false\n" +
            "#between\n" +
            "@dimensions 2\n" +
            "@missing true\n" +
            "@problemName Tiny\n" +
            "@data\n" +
            "1,2,3:4,5,6:up\n" +
            "# comment among the cases\n" +
            "7, ?,9:10,11,12:down  \n");

        // When it is read
        var dataset = DatasetReader.Read(path);

        // Then the cases are (C, L) = (2, 3), with the missing value as NaN and the declared classes
        Assert.Equal("Tiny", dataset.Name);
        Assert.Equal((2, 2, 3), (dataset.Count, dataset.Channels, dataset.Length));
        Assert.Equal(FloatBits.Of([1, 2, 3, 4, 5, 6, 7, float.NaN, 9, 10, 11, 12]), FloatBits.Of(dataset.Values));
        Assert.Equal(["up", "down"], dataset.Labels);
        Assert.Equal(["down", "up"], dataset.Classes);
        Assert.Equal(1, dataset.MissingValueCount);
    }

    [Theory]
    [InlineData(PaddingValue.Zero)]
    [InlineData(PaddingValue.NaN)]
    public void Should_Pad_Variable_Length_Cases_To_The_Longest_And_Keep_Their_Lengths(PaddingValue padding)
    {
        // Given cases of lengths 3, 2 and 4
        using var folder = new TempFolder();
        var path = folder.Write("Var.ts",
            "@problemName Var\n@univariate true\n@equalLength false\n@classLabel true a b\n@data\n" +
            "1,2,3:a\n4,5:b\n6,7,8,9:a\n");

        // When it is read with each padding
        var dataset = DatasetReader.Read(path, new ReadOptions { Padding = padding });

        // Then every series occupies 4 steps, padded after its end, and the true lengths are kept
        var p = padding == PaddingValue.NaN ? float.NaN : 0f;
        Assert.Equal(4, dataset.Length);
        Assert.Equal([3, 2, 4], dataset.Lengths);
        Assert.False(dataset.IsEqualLength);
        Assert.Equal(FloatBits.Of([1, 2, 3, p, 4, 5, p, p, 6, 7, 8, 9]), FloatBits.Of(dataset.Values));
        Assert.Equal(0, dataset.MissingValueCount);
    }

    [Fact]
    public void Should_Pad_Each_Dimension_To_The_Longest_Of_Its_Case()
    {
        // Given a case whose dimensions have 3 and 2 values, and a case of 1 and 1
        using var folder = new TempFolder();
        var path = folder.Write("Uneven.ts",
            "@problemName Uneven\n@univariate false\n@dimensions 2\n@equalLength false\n@classLabel true x\n@data\n" +
            "1,2,3:4,5:x\n6:7:x\n");

        // When it is read with NaN padding
        var dataset = DatasetReader.Read(path, new ReadOptions { Padding = PaddingValue.NaN });

        // Then each case's length is its longest dimension; the shorter dimension's tail lies inside it and counts as missing
        var nan = float.NaN;
        Assert.Equal([3, 1], dataset.Lengths);
        Assert.Equal(FloatBits.Of([1, 2, 3, 4, 5, nan, 6, nan, nan, 7, nan, nan]), FloatBits.Of(dataset.Values));
        Assert.Equal(1, dataset.MissingValueCount);
    }

    [Fact]
    public void Should_Read_Time_Stamped_Values_In_Order_And_Drop_The_Time_Stamps()
    {
        // Given (timestamp,value) pairs, integer stamps and date-time stamps that contain ':'
        using var folder = new TempFolder();
        var path = folder.Write("Stamped.ts",
            "@problemName Stamped\n@timeStamps true\n@univariate false\n@dimensions 2\n@equalLength false\n@classLabel true p q\n@data\n" +
            "(0,1.5),(1,2.5):(0,3.5),(1,4.5):p\n" +
            "(2007-01-01 00:00:00,5), (2007-01-01 00:01:00,?):(2007-01-01 00:00:00,7),(2007-01-01 00:01:00,8):q\n");

        // When it is read
        var dataset = DatasetReader.Read(path);

        // Then the values are kept in file order and the labels follow the last top-level ':'
        Assert.Equal((2, 2, 2), (dataset.Count, dataset.Channels, dataset.Length));
        Assert.Equal(FloatBits.Of([1.5f, 2.5f, 3.5f, 4.5f, 5, float.NaN, 7, 8]), FloatBits.Of(dataset.Values));
        Assert.Equal(["p", "q"], dataset.Labels);
    }

    [Fact]
    public void Should_Read_Unlabelled_Data_When_Class_Label_Is_False()
    {
        // Given @classLabel false: every ':'-separated part is a dimension
        using var folder = new TempFolder();
        var path = folder.Write("Free.ts", "@problemName Free\n@univariate false\n@classLabel false\n@data\n1,2:3,4\n5,6:7,8\n");

        // When it is read
        var dataset = DatasetReader.Read(path);

        // Then it has two channels and no labels
        Assert.Null(dataset.Labels);
        Assert.Equal(2, dataset.Channels);
        Assert.Equal([1f, 2, 3, 4, 5, 6, 7, 8], dataset.Values.ToArray());
    }

    [Fact]
    public void Should_Refuse_Regression_Files()
    {
        // Given a .ts regression problem
        using var folder = new TempFolder();
        var path = folder.Write("Regress.ts", "@problemName Regress\n@univariate true\n@targetLabel true\n@data\n1,2:0.5\n");

        // When it is read
        var error = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(path));

        // Then the message says regression is not supported, at the tag's line
        Assert.Equal($"{path}(3): expected a classification problem (@classLabel), found a regression target (@targetLabel true), which is not supported.", error.Message);
    }

    [Fact]
    public void Should_Check_Series_Length_When_Equal_Length_Is_Declared()
    {
        // Given @seriesLength 3 and a case with 2 values
        using var folder = new TempFolder();
        var path = folder.Write("x.ts",
            "@problemName x\n@univariate true\n@equalLength true\n@seriesLength 3\n@classLabel true 1 2\n@data\n1,2,3:1\n4,5:2\n");

        // When it is read
        var error = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(path));

        // Then the message is the house example's
        Assert.Equal($"{path}(8): expected 3 values per dimension (from @seriesLength), found 2.", error.Message);
    }

    [Fact]
    public void Should_Check_Lengths_Against_The_First_Case_When_Equal_Length_Has_No_Series_Length()
    {
        // Given @equalLength true without @seriesLength, and a second case shorter than the first
        using var folder = new TempFolder();
        var path = folder.Write("y.ts",
            "@problemName y\n@univariate false\n@equalLength true\n@classLabel true 1 2\n@data\n1,2,3:4,5,6:1\n4,5,6:7,8:2\n");

        // When it is read
        var error = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(path));

        // Then the reference is line 6
        Assert.Equal($"{path}(7): expected 3 values per dimension (as in line 6), found 2 in dimension 2.", error.Message);
    }

    [Theory]
    [InlineData("@univariate false\n@dimensions 3\n", "expected 3 dimensions (from @dimensions), found 2.")]
    [InlineData("@univariate true\n", "expected 1 dimension (from @univariate true), found 2.")]
    public void Should_Check_Dimensions_Against_The_Header(string tags, string problem)
    {
        // Given a header that declares the dimensions and a case with 2
        using var folder = new TempFolder();
        var path = folder.Write("d.ts", $"@problemName d\n{tags}@classLabel true 1\n@data\n1,2:3,4:1\n");

        // When it is read
        var error = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(path));

        // Then the message says where the expectation comes from
        Assert.Equal(problem, error.Problem);
    }

    [Fact]
    public void Should_Refuse_Univariate_True_With_Several_Dimensions()
    {
        // Given a header that contradicts itself
        using var folder = new TempFolder();
        var path = folder.Write("c.ts", "@problemName c\n@univariate true\n@dimensions 2\n@classLabel true 1\n@data\n1:2:1\n");

        // When it is read
        var error = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(path));

        // Then the @dimensions line is blamed
        Assert.Equal(3, error.Line);
        Assert.Equal("expected @dimensions 1 with @univariate true, found @dimensions 2.", error.Problem);
    }
}
