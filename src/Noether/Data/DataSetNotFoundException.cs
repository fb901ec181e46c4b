namespace Noether.Data;

/// <summary>A data set that must be installed on disk was not found; the message says where it was
/// looked for and how to install it (nothing is ever downloaded at run time).</summary>
public sealed class DataSetNotFoundException : IOException
{
    /// <summary>Creates the exception with a one-line message built from its parts.</summary>
    /// <param name="dataSet">the data set's name, e.g. "Fashion-MNIST (train)".</param>
    /// <param name="lookedFor">what was looked for and where, e.g. "train-images-idx3-ubyte[.gz] in /usr/share/datasets/fashion-mnist/ (directory does not exist)".</param>
    /// <param name="howToInstall">one sentence that says how to install it, e.g. "Install it with `sudo apt-get install dataset-fashion-mnist`".</param>
    public DataSetNotFoundException(string dataSet, IReadOnlyList<string> lookedFor, string howToInstall)
        : base($"{dataSet} was not found. Looked for {string.Join("; ", lookedFor)}. {howToInstall}")
    {
        DataSet = dataSet;
        LookedFor = lookedFor;
        HowToInstall = howToInstall;
    }

    /// <summary>The data set's name.</summary>
    public string DataSet { get; }

    /// <summary>What was looked for and where, one entry per place.</summary>
    public IReadOnlyList<string> LookedFor { get; }

    /// <summary>How to install the data set.</summary>
    public string HowToInstall { get; }
}
