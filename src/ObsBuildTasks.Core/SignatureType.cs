namespace ObsBuildTasks;

/// <summary>How requests are authenticated.</summary>
public enum SignatureType
{
    /// <summary>Huawei OBS native signature (<c>Authorization: OBS</c>, <c>x-obs-*</c> headers). The default.</summary>
    Obs,

    /// <summary>AWS Signature Version 2 (<c>Authorization: AWS</c>, <c>x-amz-*</c> headers).</summary>
    V2,

    /// <summary>AWS Signature Version 4 with an unsigned payload (<c>x-amz-*</c> headers).</summary>
    V4,
}
