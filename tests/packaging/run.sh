#!/usr/bin/env bash
# Packaging test: packs the library and the CLI tool, installs both into a fresh consumer project and
# tool path (no copying of dictionaries or models), and runs the README's example program and the tool
# on the sample event. Prints "packaging: ok" or fails.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
feed="$work/feed"

dotnet pack "$repo/src/Matching/Matching.csproj" -c Release -o "$feed" --nologo -v q
dotnet pack "$repo/src/Matching.Cli/Matching.Cli.csproj" -c Release -o "$feed" --nologo -v q

# The tool, installed into its own tool path.
dotnet tool install Matching.Cli --version 0.1.0-preview.1 --tool-path "$work/tools" --add-source "$feed" >/dev/null
"$work/tools/matching" match --out "$work/tool-out" >"$work/tool.stdout" 2>"$work/tool.stderr"
for f in demand_matches.csv pairs.csv agenda_by_slot.csv report.html report.xlsx; do
  test -s "$work/tool-out/$f" || { echo "packaging: the tool did not write $f" >&2; cat "$work/tool.stderr" >&2; exit 1; }
done

# A consumer project referencing the package, running the README's ten-line example.
mkdir -p "$work/consumer"
cat >"$work/consumer/Consumer.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings><Nullable>enable</Nullable></PropertyGroup>
  <ItemGroup><PackageReference Include="Matching" Version="0.1.0-preview.1" /></ItemGroup>
</Project>
PROJ
cp "$repo/tests/packaging/Consumer/Program.cs" "$work/consumer/Program.cs"
cat >"$work/consumer/nuget.config" <<CONF
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><add key="local" value="$feed" /></packageSources></configuration>
CONF
# The local feed is added to the machine's sources (the registry still serves the dependencies).
(cd "$work/consumer" && dotnet run -c Release >"$work/consumer.stdout" 2>"$work/consumer.stderr") || { cat "$work/consumer.stderr" >&2; exit 1; }
grep -q "→" "$work/consumer.stdout" || { echo "packaging: the example printed no recommendation" >&2; cat "$work/consumer.stdout" >&2; exit 1; }
grep -q "命中词" "$work/consumer.stdout" || { echo "packaging: the example printed no explanation" >&2; exit 1; }
cat "$work/consumer.stdout"
echo "packaging: ok"
