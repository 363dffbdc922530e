namespace ObsBuildTasks.Testing.Packages;

/// <summary>A package under test.</summary>
/// <param name="Path">The .nupkg file.</param>
/// <param name="Id">The package id it must have.</param>
/// <param name="Version">The version it must have.</param>
/// <param name="ReadmeDocument">The document its readme is made from, relative to the repository root.</param>
/// <param name="OwnAssemblies">The paths in the package of the assemblies built from this repository.</param>
public sealed record ShippedPackage(string Path, string Id, string Version, string ReadmeDocument, IReadOnlyList<string> OwnAssemblies);
