#!/usr/bin/python3
"""Writes the CycloneDX 1.5 JSON SBOM of one psw build (see docs/sbom.md).

Run by the build (target `sbom`, part of `all`), not by hand. Everything that goes into the
SBOM comes from the machine, never from a typed table:

- the packages scripts/install-deps installs, from `install-deps --list`;
- their versions, architectures, sources and summaries from `dpkg-query`;
- licences from /usr/share/doc/<package>/copyright when it is machine-readable (DEP-5), the
  `License:` of its `Files: *` stanza; otherwise none is given;
- the shared libraries psw loads, from `ldd` on the built program and library, each mapped to
  the Debian package that ships it (`dpkg -S`), with its own DT_NEEDED entries (`readelf -d`)
  for the dependency graph;
- the libraries CMake found (the table `psw --version` prints), mapped to a package through a
  file of theirs that CMake used (a config file, a header directory, a library);
- the npm packages in the npm prefix, from their package.json files.

Exit status 0 and the SBOM written atomically, or 1 and one line on stderr saying what failed.
Only Python's standard library is used (Debian's python3 is a build dependency anyway).
"""

import argparse
import datetime
import hashlib
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import urllib.parse
import uuid

# Characters a purl component keeps as they are; everything else is percent-encoded. The purl
# specification leaves ':' unencoded in versions (a Debian epoch: 1:1.10.0), '+' becomes %2B.
PURL_SAFE = "-._~:"


class SbomError(Exception):
    """An input the SBOM cannot be made from; the message names it."""


def run(argv, check=True):
    """Runs a program and returns its stdout; a missing program or a failure is an SbomError."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
    except OSError as error:
        raise SbomError(f"cannot run {argv[0]}: {error}") from error
    if check and done.returncode != 0:
        raise SbomError(f"{' '.join(argv[:3])} failed ({done.returncode}): "
                        f"{done.stderr.strip()[:300]}")
    return done


# ---- inputs -------------------------------------------------------------------------------------

def install_deps_list(script):
    """(debian packages, npm specs, npm prefix, npm dirs) from `install-deps --list`."""
    out = run(["bash", str(script), "--list"]).stdout
    debian, npm, dirs, prefix = [], [], [], None
    for number, line in enumerate(out.splitlines(), 1):
        kind, _, value = line.partition(" ")
        if kind == "deb":
            debian.append(value)
        elif kind == "npm":
            npm.append(value)
        elif kind == "npm-prefix":
            prefix = pathlib.Path(value)
        elif kind == "npm-dir":
            dirs.append(pathlib.Path(value))
        elif line.strip():
            raise SbomError(f"{script} --list, line {number}: unknown entry '{line}' "
                            "(expected deb, npm, npm-prefix or npm-dir)")
    if not debian:
        raise SbomError(f"{script} --list named no Debian package")
    return debian, npm, prefix, dirs


def cmake_packages(path):
    """[(name, version, evidence path, linked|found)] written by CMake (cmake/PswSbom.cmake)."""
    rows = []
    for number, line in enumerate(pathlib.Path(path).read_text().splitlines(), 1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 4 or fields[3] not in ("linked", "found"):
            raise SbomError(f"{path}:{number}: expected name<TAB>version<TAB>path<TAB>"
                            f"linked|found, got '{line}'")
        rows.append(tuple(fields))
    return rows


# ---- Debian -------------------------------------------------------------------------------------

DPKG_FIELDS = ["Package", "Version", "Architecture", "source:Package", "source:Version",
               "db:Status-Status", "Section", "Homepage", "Maintainer", "binary:Summary"]


def dpkg_query(names):
    """{(package, arch): fields} for the installed packages among names."""
    if not names:
        return {}
    fmt = "\t".join("${" + field + "}" for field in DPKG_FIELDS) + "\n"
    done = run(["dpkg-query", "-W", "-f=" + fmt, *sorted(set(names))], check=False)
    found = {}
    for line in done.stdout.splitlines():
        values = dict(zip(DPKG_FIELDS, line.split("\t")))
        if values.get("db:Status-Status") == "installed":
            found[(values["Package"], values["Architecture"])] = values
    return found


def owners(paths):
    """{path: package name} for the files dpkg knows; a /lib path is also tried under /usr."""
    candidates = {}
    for path in paths:
        tries = [path, os.path.realpath(path)]
        for one in list(tries):
            if one.startswith("/lib"):
                tries.append("/usr" + one)
            elif one.startswith("/usr/lib"):
                tries.append(one[len("/usr"):])
        candidates[path] = list(dict.fromkeys(tries))
    every = sorted({one for tries in candidates.values() for one in tries})
    if not every:
        return {}
    owner_of = {}
    for line in run(["dpkg-query", "-S", *every], check=False).stdout.splitlines():
        if line.startswith("diversion ") or ": /" not in line:
            continue
        packages, _, path = line.partition(": /")
        # "pkg:amd64, other: /path"; the first owner is the one that ships the file here.
        owner_of["/" + path] = packages.split(",")[0].strip()
    return {path: next((owner_of[one] for one in tries if one in owner_of), None)
            for path, tries in candidates.items()}


def dep5_licence(package):
    """The licence of the `Files: *` stanza of a package's copyright file, or None."""
    path = pathlib.Path("/usr/share/doc") / package.split(":")[0] / "copyright"
    try:
        return dep5_files_star_licence(path.read_text(errors="replace"))
    except OSError:
        return None


def dep5_files_star_licence(text):
    """The `License:` short name of the `Files: *` stanza of a machine-readable (DEP-5)
    copyright text; None for free-form text or when no stanza covers `*`."""
    stanzas = re.split(r"\n\s*\n", text)
    if not re.match(r"Format:\s*\S*copyright-format", stanzas[0]):
        return None  # free-form text: no licence is guessed from it
    for stanza in stanzas[1:]:
        files = re.search(r"^Files:(.*(?:\n[ \t].*)*)", stanza, re.MULTILINE)
        licence = re.search(r"^License:[ \t]*(.*)", stanza, re.MULTILINE)
        if files and licence and "*" in files.group(1).split():
            return licence.group(1).strip() or None
    return None


def spdx_ids(schema_dir):
    """SPDX licence identifiers known to the CycloneDX schema, by their lower-case spelling."""
    schema = json.loads((pathlib.Path(schema_dir) / "spdx.SNAPSHOT.schema.json").read_text())
    return {ident.lower(): ident for ident in schema["enum"]}


def licence_entry(text, spdx, expression_ok):
    """A CycloneDX `licenses` array for a declared licence: an SPDX id when the declared name is
    one (compared ignoring case), an SPDX expression when the package declares one (npm), the
    declared name otherwise."""
    if not text:
        return None
    if text.lower() in spdx:
        return [{"license": {"id": spdx[text.lower()]}}]
    if expression_ok and re.search(r"\b(OR|AND|WITH)\b|[()]", text):
        return [{"expression": text}]
    return [{"license": {"name": text}}]


def purl(kind, name, version, namespace=None, qualifiers=None):
    quote = lambda text: urllib.parse.quote(text, safe=PURL_SAFE)
    out = f"pkg:{kind}/"
    if namespace:
        out += quote(namespace) + "/"
    out += quote(name) + "@" + quote(version)
    if qualifiers:
        out += "?" + "&".join(f"{key}={quote(value)}" for key, value in sorted(qualifiers.items()))
    return out


def distro():
    """The purl `distro` qualifier for this machine, e.g. debian-12."""
    fields = {}
    for line in pathlib.Path("/etc/os-release").read_text().splitlines():
        key, _, value = line.partition("=")
        fields[key] = value.strip('"')
    return f"{fields.get('ID', 'debian')}-{fields.get('VERSION_ID', 'unknown')}"


LIBRARY_SECTIONS = {"libs", "libdevel", "oldlibs", "python", "javascript", "perl", "ruby"}


def debian_component(fields, spdx, vendor):
    name, version, arch = fields["Package"], fields["Version"], fields["Architecture"]
    ref = purl("deb", name, version, vendor, {"arch": arch, "distro": distro()})
    component = {
        "type": "library" if fields["Section"].split("/")[-1] in LIBRARY_SECTIONS
        else "application",
        "bom-ref": ref,
        "name": name,
        "version": version,
        "purl": ref,
    }
    if fields["binary:Summary"]:
        component["description"] = fields["binary:Summary"]
    if fields["Maintainer"]:
        component["publisher"] = fields["Maintainer"]
    licences = licence_entry(dep5_licence(name), spdx, expression_ok=False)
    if licences:
        component["licenses"] = licences
    if fields["Homepage"]:
        component["externalReferences"] = [{"type": "website", "url": fields["Homepage"]}]
    component["properties"] = [
        {"name": "psw:deb.source", "value": f"{fields['source:Package']} "
                                              f"{fields['source:Version']}"},
    ]
    return component


# ---- shared libraries ---------------------------------------------------------------------------

def ldd(binary):
    """{soname: resolved path} of everything the dynamic loader maps for binary."""
    libraries = {}
    for line in run(["ldd", str(binary)]).stdout.splitlines():
        line = line.strip()
        if "=>" in line:
            soname, _, rest = line.partition("=>")
            path = rest.strip().split(" (")[0].strip()
            if path == "not found":
                raise SbomError(f"{binary}: the loader finds no {soname.strip()}")
            if path.startswith("/"):
                libraries[soname.strip()] = path
        elif line.startswith("/"):
            path = line.split(" (")[0]
            libraries[os.path.basename(path)] = path
    return libraries


def needed(binary):
    """The DT_NEEDED sonames of one ELF file."""
    out = run(["readelf", "-d", "-W", str(binary)]).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


# ---- npm ----------------------------------------------------------------------------------------

def npm_component(directory, spdx):
    manifest = pathlib.Path(directory) / "package.json"
    try:
        data = json.loads(manifest.read_text())
    except (OSError, ValueError) as error:
        raise SbomError(f"{manifest}: {error}") from error
    name, version = data.get("name"), data.get("version")
    if not name or not version:
        raise SbomError(f"{manifest}: no name or version")
    namespace, _, bare = name.rpartition("/")
    ref = purl("npm", bare, version, namespace or None)
    component = {"type": "library", "bom-ref": ref, "name": bare, "version": version,
                 "purl": ref}
    if namespace:
        component["group"] = namespace
    if data.get("description"):
        component["description"] = data["description"]
    licence = data.get("license")
    if isinstance(licence, dict):
        licence = licence.get("type")
    licences = licence_entry(licence if isinstance(licence, str) else None, spdx,
                             expression_ok=True)
    if licences:
        component["licenses"] = licences
    repository = data.get("repository")
    if isinstance(repository, dict):
        repository = repository.get("url")
    if isinstance(repository, str) and repository:
        component["externalReferences"] = [{"type": "vcs", "url": repository}]
    component["properties"] = [{"name": "psw:npm.path", "value": str(directory)}]
    return component, sorted(data.get("dependencies", {}) or {})


# A package directory below node_modules: node_modules/<name> or node_modules/@scope/<name>,
# possibly nested below another package's own node_modules. Names never start with '.' or '@'
# (.bin, .package-lock.json are npm's own).
PACKAGE_DIR = re.compile(r"^(?:(?:@[^/]+/)?[^/.@][^/]*/node_modules/)*(?:@[^/]+/)?[^/.@][^/]*$")


def npm_packages(prefix):
    """Directories of every package installed under prefix/node_modules (nested ones too)."""
    root = prefix / "node_modules"
    return [manifest.parent for manifest in sorted(root.glob("**/package.json"))
            if PACKAGE_DIR.match(manifest.parent.relative_to(root).as_posix())]


# ---- the document -------------------------------------------------------------------------------

def build(args):
    spdx = spdx_ids(args.schema_dir)
    vendor = distro().split("-")[0]
    debian_names, npm_specs, npm_prefix, npm_dirs = install_deps_list(args.install_deps)

    # Packages scripts/install-deps installs, as dpkg knows them now.
    components, reasons, missing = {}, {}, []

    def note(ref, reason):
        reasons.setdefault(ref, [])
        if reason not in reasons[ref]:
            reasons[ref].append(reason)

    def add_debian(fields):
        component = debian_component(fields, spdx, vendor)
        components.setdefault(component["bom-ref"], component)
        return component["bom-ref"]

    installed = dpkg_query(debian_names)
    by_name = {}
    for (name, _arch), fields in installed.items():
        by_name.setdefault(name, []).append(fields)
    for name in debian_names:
        if name not in by_name:
            missing.append(f"deb {name}")
            continue
        for fields in by_name[name]:
            note(add_debian(fields), "scripts/install-deps")

    # Shared libraries the loader maps for psw, and the packages that ship them.
    loaded = {}
    build_dir = os.path.realpath(args.build_dir)
    for binary in args.binary:
        # psw's own files (libpsw.so for the program) are the metadata component, not a package.
        loaded.update({soname: path for soname, path in ldd(binary).items()
                       if not os.path.realpath(path).startswith(build_dir + os.sep)})
    owner = owners(sorted(set(loaded.values())))
    package_fields = dpkg_query(sorted({p.split(":")[0] for p in owner.values() if p}))
    ref_of_package = {}
    for (name, arch), fields in package_fields.items():
        ref_of_package[f"{name}:{arch}"] = add_debian(fields)
        ref_of_package.setdefault(name, ref_of_package[f"{name}:{arch}"])
    ref_of_soname, unowned = {}, []
    for soname, path in sorted(loaded.items()):
        package = owner.get(path)
        if package is None or package not in ref_of_package:
            unowned.append(path)
            continue
        ref_of_soname[soname] = ref_of_package[package]
        note(ref_of_package[package], f"loads {path}")

    # The libraries CMake found (psw --version), mapped through a file CMake used.
    evidence = {}
    for name, version, path, use in cmake_packages(args.cmake_packages):
        if version == "not found" or not path:
            continue
        target = pathlib.Path(path)
        if target.is_dir():
            configs = sorted(target.glob("*onfig.cmake")) or sorted(target.glob("*"))
            target = configs[0] if configs else target
        evidence[name] = (version, str(target), use)
    evidence_owner = owners(sorted({path for _, path, _ in evidence.values()}))
    extra = dpkg_query(sorted({p.split(":")[0] for p in evidence_owner.values() if p}))
    for (name, arch), fields in extra.items():
        ref_of_package[f"{name}:{arch}"] = add_debian(fields)
        ref_of_package.setdefault(name, ref_of_package[f"{name}:{arch}"])
    built_against = []
    for name, (version, path, use) in sorted(evidence.items()):
        package = evidence_owner.get(path)
        if package is None or package not in ref_of_package:
            unowned.append(path)
            continue
        ref = ref_of_package[package]
        if use == "linked":
            built_against.append(ref)
        components[ref]["properties"].append(
            {"name": "psw:cmake.package", "value": f"{name} {version}"})
        note(ref, f"CMake found {name} {version} ({path})" +
             ("; psw is built with it" if use == "linked" else "; psw does not link it"))

    # npm packages: everything in the prefix, plus unpacked packages install-deps names.
    npm_refs, npm_deps = {}, {}
    directories = []
    if npm_prefix is not None and (npm_prefix / "node_modules").is_dir():
        directories += npm_packages(npm_prefix)
    elif npm_specs:
        missing += [f"npm {spec}" for spec in npm_specs]
    for directory in npm_dirs:
        if (directory / "package.json").is_file():
            directories.append(directory)
        else:
            missing.append(f"npm-dir {directory}")
    wanted = {spec.rpartition("@")[0] if spec.rfind("@") > 0 else spec: spec
              for spec in npm_specs}
    for directory in directories:
        component, dependencies = npm_component(directory, spdx)
        full = (component.get("group", "") + "/" + component["name"]).lstrip("/")
        ref = component["bom-ref"]
        components.setdefault(ref, component)
        npm_refs.setdefault(full, ref)
        npm_deps[ref] = dependencies
        if full in wanted or directory in npm_dirs:
            note(ref, "scripts/install-deps")
    for name, spec in wanted.items():
        if name not in npm_refs and f"npm {spec}" not in missing:
            missing.append(f"npm {spec}")

    for ref, why in reasons.items():
        components[ref]["properties"] += [{"name": "psw:why", "value": reason}
                                          for reason in why]

    # Dependencies: psw on what it loads directly and on what CMake found; each library package
    # on the packages of its own DT_NEEDED libraries; npm packages on their dependencies.
    psw_ref = f"pkg:generic/psw@{urllib.parse.quote(args.psw_version, safe=PURL_SAFE)}"
    graph = {psw_ref: set(built_against)}
    for binary in args.binary:
        graph[psw_ref] |= {ref_of_soname[s] for s in needed(binary) if s in ref_of_soname}
    for soname, path in loaded.items():
        if soname not in ref_of_soname:
            continue
        ref = ref_of_soname[soname]
        graph.setdefault(ref, set())
        graph[ref] |= {ref_of_soname[s] for s in needed(path)
                       if s in ref_of_soname and ref_of_soname[s] != ref}
    for ref, dependencies in npm_deps.items():
        graph.setdefault(ref, set())
        graph[ref] |= {npm_refs[d] for d in dependencies if d in npm_refs}
    for ref in components:
        graph.setdefault(ref, set())

    metadata_component = {
        "type": "library",
        "bom-ref": psw_ref,
        "name": "psw",
        "version": args.psw_version,
        "purl": psw_ref,
        "properties": [],
    }
    if args.description:
        metadata_component["description"] = args.description
    if args.compiler:
        metadata_component["properties"].append({"name": "psw:compiler", "value": args.compiler})
    if args.git_describe:
        metadata_component["properties"].append(
            {"name": "psw:git.describe", "value": args.git_describe})
    properties = [{"name": "psw:missing", "value": entry} for entry in sorted(missing)]
    properties += [{"name": "psw:unowned-file", "value": path} for path in sorted(set(unowned))]

    bom = {
        "$schema": "http://cyclonedx.org/schema/bom-1.5.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "version": 1,
        "metadata": {
            "tools": {"components": [{"type": "application", "name": "psw",
                                      "version": args.psw_version,
                                      "description": "cmake/psw_sbom.py, run by the build"}]},
            "component": metadata_component,
        },
        "components": sorted(components.values(), key=lambda c: c["bom-ref"]),
        "dependencies": [{"ref": ref, "dependsOn": sorted(graph[ref])}
                         for ref in sorted(graph)],
    }
    if not metadata_component["properties"]:
        del metadata_component["properties"]
    if properties:
        bom["metadata"]["properties"] = properties
    return bom


def stamp(bom, output):
    """Adds serialNumber and timestamp. The serial number is a UUID (version 5) of the content,
    so the same build on the same machine gives the same SBOM; the timestamp is kept from the
    previous file when nothing else changed, else $SOURCE_DATE_EPOCH or now."""
    content = json.dumps(bom, sort_keys=True)
    serial = "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL,
                                          "psw-sbom:" + hashlib.sha256(
                                              content.encode()).hexdigest()))
    timestamp = None
    try:
        previous = json.loads(pathlib.Path(output).read_text())
        if previous.get("serialNumber") == serial:
            timestamp = previous["metadata"]["timestamp"]
    except (OSError, ValueError, KeyError):
        pass
    if timestamp is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        moment = (datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc) if epoch
                  else datetime.datetime.now(datetime.timezone.utc))
        timestamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = {"$schema": bom["$schema"], "bomFormat": bom["bomFormat"],
           "specVersion": bom["specVersion"], "serialNumber": serial, "version": bom["version"]}
    out["metadata"] = {"timestamp": timestamp, **bom["metadata"]}
    out.update({key: bom[key] for key in ("components", "dependencies")})
    return out


def write_atomically(path, text):
    path = pathlib.Path(path)
    handle, temporary = tempfile.mkstemp(prefix="." + path.name + ".", dir=path.parent)
    try:
        with os.fdopen(handle, "w") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--install-deps", required=True, type=pathlib.Path)
    parser.add_argument("--cmake-packages", required=True, type=pathlib.Path)
    parser.add_argument("--schema-dir", required=True, type=pathlib.Path)
    parser.add_argument("--binary", action="append", required=True, type=pathlib.Path)
    parser.add_argument("--build-dir", required=True, type=pathlib.Path)
    parser.add_argument("--psw-version", required=True)
    parser.add_argument("--git-describe", default="")
    parser.add_argument("--compiler", default="")
    parser.add_argument("--description", default="")
    parser.add_argument("-o", "--output", required=True, type=pathlib.Path)
    args = parser.parse_args()
    try:
        bom = stamp(build(args), args.output)
        write_atomically(args.output, json.dumps(bom, indent=2) + "\n")
    except (SbomError, OSError) as error:
        print(f"psw_sbom: {error}", file=sys.stderr)
        return 1
    summary = bom["components"]
    print(f"psw_sbom: wrote {args.output}: {len(summary)} components, "
          f"{sum('licenses' in c for c in summary)} with licences")
    for entry in bom["metadata"].get("properties", []):
        if entry["name"] == "psw:missing":
            print(f"psw_sbom: warning: install-deps lists {entry['value']}, which is not "
                  "installed; run scripts/install-deps", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
