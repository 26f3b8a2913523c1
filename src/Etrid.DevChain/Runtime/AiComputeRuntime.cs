using Etrid.Substrate.Metadata;
using Etrid.Substrate.Scale;
using Etrid.Substrate.Storage;

namespace Etrid.DevChain.Runtime;

/// <summary>
/// The dev chain's runtime description: genuine V14 metadata for System, Timestamp, GpuRegistry and
/// JobMarketplace with the storage items, types, events and constants of the AI-Compute PBC.
/// Layout 1 is the published runtime; layout 2 is the upgrade that appends <c>assigned_at</c> to <c>Job</c>.
/// </summary>
public sealed class AiComputeRuntime
{
    public const byte SystemIndex = 0;
    public const byte TimestampIndex = 1;
    public const byte GpuRegistryIndex = 12;
    public const byte JobMarketplaceIndex = 13;
    public const ushort PlatformFeeBps = 500;
    public const ushort Ss58Prefix = 42;

    private AiComputeRuntime(int layout, RuntimeMetadata metadata, byte[] bytes, uint jobType, uint gpuNodeType, uint eventRecordsType)
    {
        Layout = layout;
        Metadata = metadata;
        MetadataBytes = bytes;
        JobType = jobType;
        GpuNodeType = gpuNodeType;
        EventRecordsType = eventRecordsType;
    }

    /// <summary>1 for the published runtime, 2 after the upgrade.</summary>
    public int Layout { get; }

    public RuntimeMetadata Metadata { get; }

    /// <summary><c>RuntimeMetadataPrefixed</c> bytes as <c>state_getMetadata</c> serves them.</summary>
    public byte[] MetadataBytes { get; }

    public uint JobType { get; }

    public uint GpuNodeType { get; }

    public uint EventRecordsType { get; }

    /// <summary>Builds the runtime description for a layout (1 or 2).</summary>
    public static AiComputeRuntime Create(int layout)
    {
        if (layout is not (1 or 2))
        {
            throw new ArgumentOutOfRangeException(nameof(layout), layout, "layout must be 1 or 2");
        }

        var b = new TypeRegistryBuilder();
        var u8 = b.Primitive(PrimitiveType.U8);
        var u16 = b.Primitive(PrimitiveType.U16);
        var u32 = b.Primitive(PrimitiveType.U32);
        var u64 = b.Primitive(PrimitiveType.U64);
        var u128 = b.Primitive(PrimitiveType.U128);
        var bytes32 = b.Array(32, u8);
        var accountId = b.Composite("sp_core::crypto::AccountId32", (null, bytes32, "[u8; 32]"));
        var h256 = b.Composite("primitive_types::H256", (null, bytes32, "[u8; 32]"));
        var vecU8 = b.Sequence(u8);
        var vecU64 = b.Sequence(u64);
        var vecH256 = b.Sequence(h256);
        var boundedBytes = b.Composite("bounded_collections::bounded_vec::BoundedVec", [new TypeParameter("T", u8), new TypeParameter("S", null)], (null, vecU8, "Vec<T>"));
        var boundedU64 = b.Composite("bounded_collections::bounded_vec::BoundedVec", [new TypeParameter("T", u64), new TypeParameter("S", null)], (null, vecU64, "Vec<T>"));
        var optionU64 = b.Option(u64);
        var optionH256 = b.Option(h256);

        // System.
        var weight = b.Composite("sp_weights::weight_v2::Weight", ("ref_time", b.Compact(u64), "u64"), ("proof_size", b.Compact(u64), "u64"));
        var dispatchClass = b.Variant("frame_support::dispatch::DispatchClass", ("Normal", 0, []), ("Operational", 1, []), ("Mandatory", 2, []));
        var pays = b.Variant("frame_support::dispatch::Pays", ("Yes", 0, []), ("No", 1, []));
        var dispatchInfo = b.Composite("frame_system::DispatchEventInfo", ("weight", weight, "Weight"), ("class", dispatchClass, "DispatchClass"), ("pays_fee", pays, "Pays"));
        var systemEvent = b.Variant(
            "frame_system::pallet::Event",
            ("ExtrinsicSuccess", 0, [("dispatch_info", dispatchInfo, "DispatchEventInfo")]),
            ("CodeUpdated", 2, []));

        // JobMarketplace.
        var modelType = b.Variant("pallet_job_marketplace::pallet::ModelType", ("LLM", 0, []), ("ImageGen", 1, []), ("ImageRecognition", 2, []), ("AudioProcessing", 3, []), ("VideoProcessing", 4, []), ("Custom", 5, []));
        var priority = b.Variant("pallet_job_marketplace::pallet::Priority", ("Economy", 0, []), ("Standard", 1, []), ("Premium", 2, []));
        var jobStatus = b.Variant("pallet_job_marketplace::pallet::JobStatus", ("Pending", 0, []), ("Processing", 1, []), ("Completed", 2, []), ("Failed", 3, []), ("Disputed", 4, []), ("Cancelled", 5, []));
        List<(string?, uint, string?)> jobFields =
        [
            ("submitter", accountId, "T::AccountId"),
            ("model_id", u64, "u64"),
            ("model_type", modelType, "ModelType"),
            ("input_hash", h256, "H256"),
            ("output_format", boundedBytes, "BoundedVec<u8, ConstU32<32>>"),
            ("max_compute_time", u32, "u32"),
            ("payment", u128, "BalanceOf<T>"),
            ("priority", priority, "Priority"),
            ("status", jobStatus, "JobStatus"),
            ("assigned_gpu", optionU64, "Option<u64>"),
            ("result_hash", optionH256, "Option<H256>"),
            ("submitted_at", u64, "u64"),
            ("completed_at", optionU64, "Option<u64>"),
        ];
        if (layout == 2)
        {
            jobFields.Add(("assigned_at", optionU64, "Option<u64>"));
        }

        var job = b.Composite("pallet_job_marketplace::pallet::Job", [.. jobFields]);
        var jobEvent = b.Variant(
            "pallet_job_marketplace::pallet::Event",
            ("JobSubmitted", 0, [("job_id", u64, "u64"), ("submitter", accountId, "T::AccountId"), ("payment", u128, "BalanceOf<T>")]),
            ("JobAssigned", 1, [("job_id", u64, "u64"), ("gpu_id", u64, "u64")]),
            ("JobCompleted", 2, [("job_id", u64, "u64"), ("result_hash", h256, "H256")]),
            ("JobFailed", 3, [("job_id", u64, "u64"), ("reason", boundedBytes, "BoundedVec<u8, ConstU32<128>>")]),
            ("PaymentReleased", 4, [("job_id", u64, "u64"), ("provider", accountId, "T::AccountId"), ("amount", u128, "BalanceOf<T>")]),
            ("JobDisputed", 5, [("job_id", u64, "u64")]),
            ("JobCancelled", 6, [("job_id", u64, "u64")]));

        // GpuRegistry.
        var gpuSpecs = b.Composite("pallet_gpu_registry::pallet::GpuSpecs", ("model", boundedBytes, "BoundedVec<u8, ConstU32<64>>"), ("vram_gb", u16, "u16"), ("compute_units", u32, "u32"), ("clock_speed_mhz", u16, "u16"), ("tdp_watts", u16, "u16"));
        var attestation = b.Composite("pallet_gpu_registry::pallet::HardwareAttestation", ("tpm_quote", boundedBytes, "BoundedVec<u8, ConstU32<256>>"), ("benchmark_score", u32, "u32"), ("timestamp", u64, "u64"));
        var gpuStatus = b.Variant("pallet_gpu_registry::pallet::GpuStatus", ("Active", 0, []), ("Paused", 1, []), ("Offline", 2, []), ("Slashed", 3, []));
        var reputation = b.Composite("pallet_gpu_registry::pallet::Reputation", ("jobs_completed", u64, "u64"), ("jobs_failed", u64, "u64"), ("uptime_bps", u16, "u16"), ("rating", u32, "u32"), ("rating_count", u32, "u32"));
        var schedule = b.Variant("pallet_gpu_registry::pallet::AvailabilitySchedule", ("AlwaysOn", 0, []), ("BusinessHours", 1, []), ("Custom", 2, [(null, boundedBytes, "BoundedVec<u8, ConstU32<21>>")]));
        var gpuNode = b.Composite(
            "pallet_gpu_registry::pallet::GpuNode",
            ("provider", accountId, "T::AccountId"),
            ("specs", gpuSpecs, "GpuSpecs"),
            ("attestation", attestation, "HardwareAttestation"),
            ("stake", u128, "BalanceOf<T>"),
            ("status", gpuStatus, "GpuStatus"),
            ("reputation", reputation, "Reputation"),
            ("schedule", schedule, "AvailabilitySchedule"),
            ("registered_at", u64, "u64"),
            ("last_heartbeat", u64, "u64"));
        var gpuEvent = b.Variant(
            "pallet_gpu_registry::pallet::Event",
            ("GpuRegistered", 0, [("gpu_id", u64, "u64"), ("provider", accountId, "T::AccountId"), ("stake", u128, "BalanceOf<T>")]),
            ("GpuUnregistered", 1, [("gpu_id", u64, "u64"), ("provider", accountId, "T::AccountId")]),
            ("GpuStatusUpdated", 2, [("gpu_id", u64, "u64"), ("status", gpuStatus, "GpuStatus")]),
            ("AvailabilityUpdated", 3, [("gpu_id", u64, "u64")]),
            ("ProviderSlashed", 4, [("gpu_id", u64, "u64"), ("slash_amount", u128, "BalanceOf<T>")]),
            ("ReputationUpdated", 5, [("gpu_id", u64, "u64"), ("reputation", reputation, "Reputation")]));

        // The outer event enum: variant index = pallet index.
        var runtimeEvent = b.Variant(
            "ai_compute_pbc_runtime::RuntimeEvent",
            ("System", SystemIndex, [(null, systemEvent, "frame_system::Event<Runtime>")]),
            ("GpuRegistry", GpuRegistryIndex, [(null, gpuEvent, "pallet_gpu_registry::Event<Runtime>")]),
            ("JobMarketplace", JobMarketplaceIndex, [(null, jobEvent, "pallet_job_marketplace::Event<Runtime>")]));
        var phase = b.Variant("frame_system::Phase", ("ApplyExtrinsic", 0, [(null, u32, "u32")]), ("Finalization", 1, []), ("Initialization", 2, []));
        var eventRecord = b.Composite("frame_system::EventRecord", [new TypeParameter("E", runtimeEvent), new TypeParameter("T", h256)], ("phase", phase, "Phase"), ("event", runtimeEvent, "E"), ("topics", vecH256, "Vec<T>"));
        var eventRecords = b.Sequence(eventRecord);
        // The extrinsic type carries Address, Call, Signature and Extra as type parameters: clients
        // such as polkadot.js read the account and signature types from them.
        var bytes20 = b.Array(20, u8);
        var bytes64 = b.Array(64, u8);
        var bytes65 = b.Array(65, u8);
        var unit = b.Tuple();
        var address = b.Variant(
            "sp_runtime::multiaddress::MultiAddress",
            [new TypeParameter("AccountId", accountId), new TypeParameter("AccountIndex", unit)],
            ("Id", 0, [(null, accountId, "AccountId")]),
            ("Index", 1, [(null, b.Compact(unit), "AccountIndex")]),
            ("Raw", 2, [(null, vecU8, "Vec<u8>")]),
            ("Address32", 3, [(null, bytes32, "[u8; 32]")]),
            ("Address20", 4, [(null, bytes20, "[u8; 20]")]));
        var signature = b.Variant(
            "sp_runtime::MultiSignature",
            ("Ed25519", 0, [(null, bytes64, "ed25519::Signature")]),
            ("Sr25519", 1, [(null, bytes64, "sr25519::Signature")]),
            ("Ecdsa", 2, [(null, bytes65, "ecdsa::Signature")]));
        var timestampCall = b.Variant("pallet_timestamp::pallet::Call", ("set", 0, [("now", b.Compact(u64), "T::Moment")]));
        var call = b.Variant("ai_compute_pbc_runtime::RuntimeCall", ("Timestamp", TimestampIndex, [(null, timestampCall, "self::sp_api_hidden_includes_construct_runtime::hidden_include::dispatch::CallableCallFor<Timestamp, Runtime>")]));
        var extrinsic = b.Composite(
            "sp_runtime::generic::unchecked_extrinsic::UncheckedExtrinsic",
            [new TypeParameter("Address", address), new TypeParameter("Call", call), new TypeParameter("Signature", signature), new TypeParameter("Extra", unit)],
            (null, vecU8, "Vec<u8>"));
        var runtime = b.Composite("ai_compute_pbc_runtime::Runtime");
        var registry = b.Build();

        static StorageEntryMetadata Plain(string name, uint type, byte[] defaultValue) =>
            new(name, StorageEntryModifier.Default, false, [], null, type, defaultValue, []);
        static StorageEntryMetadata Map(string name, StorageEntryModifier modifier, StorageHasher hasher, uint key, uint value, byte[] defaultValue) =>
            new(name, modifier, true, [hasher], key, value, defaultValue, []);
        static PalletConstantMetadata Constant(string name, uint type, Action<ScaleWriter> write)
        {
            var w = new ScaleWriter(16);
            write(w);
            return new PalletConstantMetadata(name, type, w.ToArray(), []);
        }

        var zero8 = new byte[8];
        var pallets = new List<PalletMetadata>
        {
            new("System", new PalletStorageMetadata("System",
                [
                    Map("BlockHash", StorageEntryModifier.Default, StorageHasher.Twox64Concat, u32, h256, new byte[32]),
                    Plain("Number", u32, new byte[4]),
                    Plain("Events", eventRecords, [0]),
                ]),
                null, systemEvent,
                [Constant("SS58Prefix", u16, w => w.WriteU16(Ss58Prefix))],
                null, SystemIndex, []),
            new("Timestamp", new PalletStorageMetadata("Timestamp", [Plain("Now", u64, zero8)]),
                timestampCall, null,
                [Constant("MinimumPeriod", u64, w => w.WriteU64(3000))],
                null, TimestampIndex, []),
            new("GpuRegistry", new PalletStorageMetadata("GpuRegistry",
                [
                    Map("GpuNodes", StorageEntryModifier.Optional, StorageHasher.Blake2_128Concat, u64, gpuNode, [0]),
                    Plain("NextGpuId", u64, zero8),
                    Map("ProviderGpus", StorageEntryModifier.Default, StorageHasher.Blake2_128Concat, accountId, boundedU64, [0]),
                    Plain("ActiveGpuCount", u64, zero8),
                ]),
                null, gpuEvent,
                [
                    Constant("MinimumStake", u128, w => w.WriteU128(UInt128.Parse("100000000000000000000", System.Globalization.CultureInfo.InvariantCulture))),
                    Constant("SlashPercentage", u16, w => w.WriteU16(1000)),
                    Constant("MaxOfflineBlocks", u32, w => w.WriteU32(1000)),
                ],
                null, GpuRegistryIndex, []),
            new("JobMarketplace", new PalletStorageMetadata("JobMarketplace",
                [
                    Map("Jobs", StorageEntryModifier.Optional, StorageHasher.Blake2_128Concat, u64, job, [0]),
                    Plain("NextJobId", u64, zero8),
                    Map("UserJobs", StorageEntryModifier.Default, StorageHasher.Blake2_128Concat, accountId, boundedU64, [0]),
                    Map("GpuJobs", StorageEntryModifier.Default, StorageHasher.Blake2_128Concat, u64, boundedU64, [0]),
                    Plain("PendingJobs", boundedU64, [0]),
                    Plain("TotalJobs", u64, zero8),
                    Plain("TotalVolume", u128, new byte[16]),
                ]),
                null, jobEvent,
                [
                    Constant("PlatformFeeBps", u16, w => w.WriteU16(PlatformFeeBps)),
                    Constant("MaxJobDuration", u32, w => w.WriteU32(10000)),
                ],
                null, JobMarketplaceIndex, []),
        };

        var metadata = new RuntimeMetadata(14, registry, pallets, new ExtrinsicMetadata(4, extrinsic, null, null, null, null, []), runtime, [], null, []);
        return new AiComputeRuntime(layout, metadata, MetadataWriter.Write(metadata), job, gpuNode, eventRecords);
    }
}
