namespace ObsBuildTasks;

/// <summary>How requests are authenticated.</summary>
public enum SignatureType
{
    /// <summary>Negotiated per bucket as Huawei's SDKs do (the default): one unauthenticated <c>HEAD ?apiversion</c>
    /// probe; an answer with <c>x-obs-api: 3.0</c> means <see cref="Obs"/>, anything else <see cref="V4"/> (with the
    /// region from the answer's <c>x-amz-bucket-region</c> when none is configured).</summary>
    Auto,

    /// <summary>Huawei OBS native signature (<c>Authorization: OBS</c>, <c>x-obs-*</c> headers).</summary>
    Obs,

    /// <summary>AWS Signature Version 2 (<c>Authorization: AWS</c>, <c>x-amz-*</c> headers).</summary>
    V2,

    /// <summary>AWS Signature Version 4 with an unsigned payload (<c>x-amz-*</c> headers).</summary>
    V4,
}
