#!/usr/bin/env bash
# Packaging test: packs the library and the CLI tool, installs both into a fresh consumer project and
# tool path (no copying of dictionaries or models), and runs the README's example program and the tool
# on the sample event. Prints "packaging: ok" or fails.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
# A version no earlier run used. NuGet never extracts a version again once its global packages folder holds it,
# so with the fixed 0.1.0-preview.1 this test would install whatever an earlier run (or a user) packed first,
# and could pass on a stale package. This run's versions are removed from that folder at the end.
version="0.1.0-packaging.$(date -u +%Y%m%d%H%M%S).$$"
packages="$(dotnet nuget locals global-packages --list | sed 's/^global-packages: *//')"
trap 'rm -rf "$work" "$packages/matching/$version" "$packages/matching.cli/$version"; rmdir "$packages/matching" "$packages/matching.cli" 2>/dev/null || true' EXIT
feed="$work/feed"

dotnet pack "$repo/src/Matching/Matching.csproj" -c Release -o "$feed" --nologo -v q -p:Version="$version"
dotnet pack "$repo/src/Matching.Cli/Matching.Cli.csproj" -c Release -o "$feed" --nologo -v q -p:Version="$version"

# The tool, installed into its own tool path.
dotnet tool install Matching.Cli --version "$version" --tool-path "$work/tools" --add-source "$feed" >/dev/null
"$work/tools/matching" --version | grep -q "^$version" \
  || { echo "packaging: the installed tool is not version $version: $("$work/tools/matching" --version)" >&2; exit 1; }
"$work/tools/matching" match --out "$work/tool-out" >"$work/tool.stdout" 2>"$work/tool.stderr"
for f in demand_matches.csv pairs.csv agenda_by_slot.csv report.html report.xlsx; do
  test -s "$work/tool-out/$f" || { echo "packaging: the tool did not write $f" >&2; cat "$work/tool.stderr" >&2; exit 1; }
done

# The installed tool runs an ONNX encoder (the tests' tiny one): ONNX Runtime's native library loads from the tool's
# package, which leaves out the Android/iOS archives (Directory.Build.targets).
"$work/tools/matching" encode --encoder "$repo/tests/Matching.Tests/Resources/tiny-encoder" "鱼塘死鱼，溶解氧在线监测。" >"$work/encode.stdout" 2>"$work/encode.stderr" \
  || { echo "packaging: the tool could not run the ONNX encoder" >&2; cat "$work/encode.stderr" >&2; exit 1; }
grep -q '"ids":\[2,5,6,7,5,43,8,9,10,11,12,13,14,44,3\],"vector":\[' "$work/encode.stdout" \
  || { echo "packaging: matching encode printed no vector" >&2; cat "$work/encode.stdout" "$work/encode.stderr" >&2; exit 1; }

# A consumer project referencing the package, running the README's ten-line example.
mkdir -p "$work/consumer"
cat >"$work/consumer/Consumer.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings><Nullable>enable</Nullable></PropertyGroup>
  <ItemGroup><PackageReference Include="Matching" Version="$version" /></ItemGroup>
</Project>
PROJ
cp "$repo/tests/packaging/Consumer/Program.cs" "$work/consumer/Program.cs"
cat >"$work/consumer/nuget.config" <<CONF
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><add key="local" value="$feed" /></packageSources></configuration>
CONF
# The local feed is added to the machine's sources (the registry still serves the dependencies).
(cd "$work/consumer" && dotnet run -c Release >"$work/consumer.stdout" 2>"$work/consumer.stderr") || { cat "$work/consumer.stderr" >&2; exit 1; }
grep -q "\"Matching/$version\"" "$work/consumer/obj/project.assets.json" \
  || { echo "packaging: the consumer did not restore Matching $version" >&2; exit 1; }
grep -q "→" "$work/consumer.stdout" || { echo "packaging: the example printed no recommendation" >&2; cat "$work/consumer.stdout" >&2; exit 1; }
grep -q "命中词" "$work/consumer.stdout" || { echo "packaging: the example printed no explanation" >&2; exit 1; }
cat "$work/consumer.stdout"
echo "packaging: ok"
