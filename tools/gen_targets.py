"""Regenerate asm_ls/data/targets.json from the rustc on PATH.

For every built-in target: its cfg values (arch, os, env, abi, vendor, pointer width, default
target features, families) and the spec facts the register rules depend on (relocation model, is-like-*)
and the assembler's framing does (the object format).  Run: python tools/gen_targets.py  (needs rustc; takes about a
minute).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "asm_ls" / "data" / "targets.json"


def cfg_of(target: str) -> dict | None:
    env = dict(os.environ, RUSTC_BOOTSTRAP="1")
    result = subprocess.run(["rustc", "--print", "cfg", "--target", target], capture_output=True, text=True, env=env)
    if result.returncode != 0:
        return None
    info: dict = {"features": [], "families": []}
    for line in result.stdout.splitlines():
        if "=" not in line:
            continue
        key, value = line.split("=", 1)
        value = value.strip('"')
        if key == "target_feature":
            info["features"].append(value)
        elif key == "target_family":
            info["families"].append(value)
        elif key in ("target_arch", "target_os", "target_env", "target_abi", "target_vendor",
                     "target_pointer_width", "target_endian"):
            info[key[len("target_"):]] = value
    info["features"].sort()
    info["families"].sort()
    spec = subprocess.run(["rustc", "-Z", "unstable-options", "--print", "target-spec-json", "--target", target],
                          capture_output=True, text=True, env=env)
    if spec.returncode == 0:
        data = json.loads(spec.stdout)
        info["reloc_model"] = data.get("relocation-model", "pic")
        for key in ("is-like-windows", "is-like-darwin", "is-like-aix"):
            info[key.replace("-", "_")] = bool(data.get(key, False))
        info["binary_format"] = data.get("binary-format", "elf")
    return info


def all_features(target: str) -> list[str]:
    """Every target feature rustc knows for the target's architecture."""
    env = dict(os.environ, RUSTC_BOOTSTRAP="1")
    result = subprocess.run(["rustc", "--print", "target-features", "--target", target],
                            capture_output=True, text=True, env=env)
    features = set()
    for line in result.stdout.splitlines():
        line = line.strip()
        if not line or line.startswith(("Features", "Code-generation", "Use ", "rustc ")):
            continue
        name = line.split()[0]
        if name and name[0].isalnum():
            features.add(name)
    return sorted(features)


# Architectures whose feature implications are recorded (enabling avx2 also enables avx...).
IMPLIED_FOR = ("x86_64", "x86", "aarch64", "arm64ec", "arm", "riscv32", "riscv64", "loongarch64", "loongarch32",
               "powerpc", "powerpc64", "s390x")


def implied_by(target: str, feature: str, base: dict) -> list[str]:
    """Features that `-C target-feature=+feature` turns on besides the target's defaults."""
    env = dict(os.environ, RUSTC_BOOTSTRAP="1")
    result = subprocess.run(["rustc", "--print", "cfg", "--target", target, "-C", f"target-feature=+{feature}"],
                            capture_output=True, text=True, env=env)
    if result.returncode != 0:
        return []
    enabled = {line.split("=", 1)[1].strip('"') for line in result.stdout.splitlines()
               if line.startswith("target_feature=")}
    return sorted(enabled - set(base.get("features", ())) - {feature})


def main() -> int:
    version = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    targets = subprocess.run(["rustc", "--print", "target-list"], capture_output=True, text=True).stdout.split()
    with ThreadPoolExecutor(max_workers=4) as pool:
        infos = dict(zip(targets, pool.map(cfg_of, targets)))
    data = {"rustc": version, "targets": {name: info for name, info in sorted(infos.items()) if info}}
    representative: dict[str, str] = {}
    for name, info in data["targets"].items():
        representative.setdefault(info["arch"], name)
    with ThreadPoolExecutor(max_workers=4) as pool:
        known = dict(zip(representative, pool.map(all_features, representative.values())))
    data["arch_features"] = {arch: features for arch, features in sorted(known.items())}
    jobs = [(arch, representative[arch], feature) for arch in IMPLIED_FOR if arch in representative
            for feature in known[arch] if feature.isascii() and feature[:1].isalnum()]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda job: (job[0], job[2], implied_by(job[1], job[2], infos[job[1]])), jobs))
    implied: dict[str, dict[str, list[str]]] = {}
    for arch, feature, features in results:
        if features:
            implied.setdefault(arch, {})[feature] = features
    data["implied_features"] = implied
    OUT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    print(f"wrote {len(data['targets'])} targets to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
