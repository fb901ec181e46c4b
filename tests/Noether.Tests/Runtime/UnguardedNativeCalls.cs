namespace Noether.Tests.Runtime;

/// <summary>Every native function without a catch clause (<see cref="NativeGuardScan"/>) that Noether or its CLI can
/// reach through TorchSharp (<see cref="TorchSharpCallGraph"/>), and how each is handled. A TorchSharp upgrade that adds
/// or removes one fails <c>NativeGuardScanTests</c> until this table says how it is handled.</summary>
public static class UnguardedNativeCalls
{
    /// <summary>How an unguarded native function is kept from ending the process.</summary>
    public enum Handling
    {
        /// <summary>Noether calls it only through a checked front door (<see cref="Entry.Guard"/>); a source-scan
        /// test shows that no other file of <c>src/</c> makes the raw call (<see cref="Entry.RawCall"/>).</summary>
        Guarded,
        /// <summary>It cannot throw on anything a user passes: <see cref="Entry.Reason"/> says why.</summary>
        CannotFail,
    }

    /// <summary>One native function and its handling. <paramref name="Guard"/> names the front door and
    /// <paramref name="GuardFile"/> the only file (under <c>src/</c>) allowed to match <paramref name="RawCall"/>;
    /// <paramref name="OnlyVia"/>, when set, is a pattern every TorchSharp method Noether calls that reaches the
    /// function must match (checked on the IL).</summary>
    public sealed record Entry(string Native, Handling Handling, string Reason, string? Guard = null, string? GuardFile = null,
        string? RawCall = null, string? OnlyVia = null);

    private static Entry Releases(string native, string what) => new(native, Handling.CannotFail, $"releases {what}; a destructor, no user input");
    private static Entry Reads(string native, string what) => new(native, Handling.CannotFail, $"reads {what} of a live object; no user input");

    /// <summary>The table, sorted by native name.</summary>
    public static readonly IReadOnlyList<Entry> Table = new Entry[]
    {
        new("THSAutograd_CSharpNode_clearInputMetadata", Handling.CannotFail, "clears a std::vector of a custom autograd node (SingleTensorFunction.apply); no user input"),
        Releases("THSAutograd_CSharpNode_disposeSharedPtr", "a custom autograd node's shared pointer"),
        Releases("THSAutograd_CSharpNode_disposeWeakPtr", "a custom autograd node's weak pointer"),
        Releases("THSAutograd_SavedVariable_dispose", "a saved variable of a custom autograd node"),
        new("THSAutograd_grad", Handling.Guarded, "a graph, shape or dtype mismatch throws", Guard: "Guarded.Grad",
            GuardFile: "Noether/Runtime/Guarded.cs", RawCall: @"autograd\.grad\("),
        Reads("THSAutograd_isGradEnabled", "the thread-local grad mode"),
        new("THSAutograd_setGrad", Handling.CannotFail, "sets the thread-local grad mode (no_grad, enable_grad) to a bool; any value is valid"),
        Reads("THSGenerator_default_generator", "the default CPU generator"),
        Releases("THSGenerator_dispose", "a generator"),
        new("THSGenerator_manual_seed", Handling.CannotFail, "seeds the default CPU generator; every 64-bit seed is valid"),
        new("THSGenerator_new", Handling.CannotFail, "creates a CPU generator; every 64-bit seed is valid (TorchSharp-cpu: Noether's tensors and generators are on the CPU)"),
        new("THSGenerator_set_rng_state", Handling.CannotFail,
            "refuses a state tensor of the wrong dtype or size, but Noether's only call (TorchRuntime.WithSeed) restores the state that get_rng_state gave it just before",
            OnlyVia: @"^TorchSharp\.torch/random::set_rng_state"),
        Releases("THSNN_Module_dispose", "a module"),
        Reads("THSNN_Module_get_named_buffers", "the buffer list"),
        Reads("THSNN_Module_get_named_parameters", "the parameter list"),
        Reads("THSNN_Module_is_training", "the training flag"),
        Reads("THSNN_Module_name", "the name"),
        new("THSNN_Module_to_device", Handling.CannotFail,
            "reached only through Module.load (Checkpoint.Load), which moves a module only if it is on a non-CPU device, and torch.nn.LSTM, which moves the new module only when given a device or dtype (SetLstm passes neither); Noether runs on TorchSharp-cpu and calls no Module.to (IL check)",
            OnlyVia: @"^TorchSharp\.torch/nn/Module::load`|^TorchSharp\.torch/nn::LSTM`"),
        new("THSNN_Module_to_device_dtype", Handling.CannotFail,
            "reached only through Module.load (Checkpoint.Load), which moves a module only if it is on a non-CPU device, and torch.nn.LSTM, which moves the new module only when given a device or dtype (SetLstm passes neither); Noether runs on TorchSharp-cpu and calls no Module.to (IL check)",
            OnlyVia: @"^TorchSharp\.torch/nn/Module::load`|^TorchSharp\.torch/nn::LSTM`"),
        new("THSNN_Module_to_dtype", Handling.CannotFail,
            "reached through Module.load, which changes no dtype (the call graph over-approximates), and torch.nn.LSTM, which converts the new module only when given a dtype (SetLstm passes none); Noether calls no Module.to (IL check)",
            OnlyVia: @"^TorchSharp\.torch/nn/Module::load`|^TorchSharp\.torch/nn::LSTM`"),
        new("THSNN_Module_train", Handling.CannotFail, "sets the training flag of a module tree to a bool; any value is valid"),
        new("THSNN_Optimizer_zero_grad", Handling.CannotFail, "resets the gradients of the optimizer's own parameters; no user input"),
        new("THSNN_Sequential_ctor", Handling.CannotFail, "allocates an empty native Sequential; no user input"),
        Reads("THSStorage_data_ptr", "the data pointer of a storage"),
        Reads("THSStorage_nbytes", "the byte size of a storage"),
        new("THSTensor_alias", Handling.CannotFail, "a view of a whole strided tensor; fails only for sparse or other storage-less layouts, which Noether never creates"),
        Reads("THSTensor_device_index", "the device index"),
        Reads("THSTensor_device_type", "the device type"),
        Releases("THSTensor_dispose", "a tensor handle"),
        new("THSTensor_matmul", Handling.Guarded, "a shape, dtype or device mismatch throws", Guard: "Guarded.MatMulChecked",
            GuardFile: "Noether/Runtime/Guarded.cs", RawCall: @"\.matmul\(|torch\.matmul\("),
        Reads("THSTensor_names", "the dimension names"),
        Reads("THSTensor_storage_offset", "the storage offset"),
        Reads("THSTorchCuda_is_available", "whether CUDA is available"),
        new("THSTorch_bool_to_scalar", Handling.CannotFail, "wraps a bool in a new Scalar; every value is valid"),
        Releases("THSTorch_dispose_scalar", "a Scalar"),
        new("THSTorch_float32_to_scalar", Handling.CannotFail, "wraps a float in a new Scalar; every value is valid"),
        new("THSTorch_float64_to_scalar", Handling.CannotFail, "wraps a double in a new Scalar; every value is valid"),
        new("THSTorch_get_and_reset_last_err", Handling.CannotFail, "reads and clears the thread's last error string; no user input"),
        new("THSTorch_int32_to_scalar", Handling.CannotFail, "wraps an int in a new Scalar; every value is valid"),
        new("THSTorch_int64_to_scalar", Handling.CannotFail, "wraps a long in a new Scalar; every value is valid"),
        new("THSTorch_scalar_to_bool", Handling.Guarded, "a value other than 0 or 1, or a complex value off the real axis, throws",
            Guard: "Guarded.ToBooleanChecked", GuardFile: "Noether/Runtime/Guarded.cs", RawCall: @"\.ToBoolean\(\)"),
        new("THSTorch_scalar_to_float64", Handling.Guarded, "a complex value off the real axis throws",
            Guard: "Guarded.ToDoubleChecked", GuardFile: "Noether/Runtime/Guarded.cs", RawCall: @"\.ToDouble\(\)"),
        new("THSTorch_scalar_to_int64", Handling.Guarded, "NaN, ±∞, a value outside the long range, or a complex value off the real axis throws",
            Guard: "Guarded.ToInt64Checked", GuardFile: "Noether/Runtime/Guarded.cs", RawCall: @"\.ToInt64\(\)"),
        Reads("THSTorch_scalar_type", "the type tag of a Scalar"),
        new("THSTorch_set_num_threads", Handling.Guarded, "a count below 1 throws", Guard: "TorchRuntime.Threads / TorchRuntime.PreferThreads (refuse counts below 1)",
            GuardFile: "Noether/Runtime/TorchRuntime.cs", RawCall: @"set_num_threads\("),
    };
}
