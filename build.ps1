#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Build entry point for Mixnet Directory.

.DESCRIPTION
    Run from anywhere (the script works from the repository root):
        dotnet tool restore
        dotnet pwsh ./build.ps1 [build|test|lint|pack|ci|bench|run]

    build  dotnet build Directory.sln -c Release -warnaserror
    test   dotnet test Directory.sln (Debug, same as a plain `dotnet test`)
    lint   npm ci (if node_modules is missing), npx buf lint protos,
           dotnet format --verify-no-changes
    pack   dotnet pack the client SDK and the contracts into artifacts/packages
    ci     build, test, lint, pack (a local approximation; CI itself runs .ci/run)
    bench  dotnet run -c Release --project bench -- all (if bench/ exists)
    run    dotnet run --project server
#>
param(
    [ValidateSet('build', 'test', 'lint', 'pack', 'ci', 'bench', 'run')]
    [string] $Target = 'build'
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$RepoRoot = $PSScriptRoot
$Solution = Join-Path $RepoRoot 'Directory.sln'
$PackageOutput = Join-Path $RepoRoot 'artifacts/packages'

# Runs a native command and throws if it exits non-zero. Uses $args (no param
# block) so that switches such as -c are passed through, not bound to parameters.
function Invoke-Native {
    $Command, $Arguments = $args
    $Arguments = @($Arguments | Where-Object { $null -ne $_ })
    Write-Host "==> $Command $($Arguments -join ' ')" -ForegroundColor Cyan
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "'$Command $($Arguments -join ' ')' failed with exit code $LASTEXITCODE"
    }
}

function Invoke-Build {
    Invoke-Native dotnet build $Solution -c Release -warnaserror
}

function Invoke-Test {
    Invoke-Native dotnet test $Solution
}

function Invoke-Lint {
    if (-not (Test-Path (Join-Path $RepoRoot 'node_modules/@bufbuild/buf'))) {
        Invoke-Native npm ci
    }
    Invoke-Native npx buf lint protos
    Write-Host 'buf lint: clean'
    Invoke-Native dotnet format $Solution --verify-no-changes
    Write-Host 'dotnet format: clean'
}

function Invoke-Pack {
    Invoke-Native dotnet pack (Join-Path $RepoRoot 'protos/Mixnet.Directory.Contracts.csproj') -c Release -o $PackageOutput
    Invoke-Native dotnet pack (Join-Path $RepoRoot 'client-sdk/Mixnet.Directory.Client.csproj') -c Release -o $PackageOutput
    Get-ChildItem $PackageOutput -Filter '*.nupkg' | ForEach-Object { Write-Host "packed: $($_.Name)" }
}

function Invoke-Bench {
    $bench = Join-Path $RepoRoot 'bench'
    if (-not (Test-Path $bench)) {
        throw 'bench/ does not exist yet'
    }
    Invoke-Native dotnet run -c Release --project $bench -- all
}

function Invoke-Run {
    Invoke-Native dotnet run --project (Join-Path $RepoRoot 'server')
}

Push-Location $RepoRoot
try {
    switch ($Target) {
        'build' { Invoke-Build }
        'test'  { Invoke-Test }
        'lint'  { Invoke-Lint }
        'pack'  { Invoke-Pack }
        'bench' { Invoke-Bench }
        'run'   { Invoke-Run }
        'ci' {
            Invoke-Build
            Invoke-Test
            Invoke-Lint
            Invoke-Pack
        }
    }
}
finally {
    Pop-Location
}
