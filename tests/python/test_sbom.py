"""`psw sbom`: the CycloneDX 1.5 SBOM of this build (docs/sbom.md).

The expected values never come from this file: the schema is CycloneDX's own (data/sbom/), the
versions are asked of dpkg-query, of the npm package.json files and of `psw --version` while the
test runs, the package list of `scripts/install-deps --list`, and the loaded libraries of `ldd`.
"""

import copy
import importlib.machinery
import importlib.util
import json
import os
import pathlib
import re
import subprocess
import urllib.parse

import pytest

from conftest import BUILD_DIR, SOURCE_DIR


def load_script(name, path):
    """A Python script as a module (scripts/validate-sbom has no .py suffix)."""
    loader = importlib.machinery.SourceFileLoader(name, str(path))
    spec = importlib.util.spec_from_loader(name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


validate_sbom = load_script("validate_sbom", SOURCE_DIR / "scripts" / "validate-sbom")
generator = load_script("psw_sbom", SOURCE_DIR / "cmake" / "psw_sbom.py")


@pytest.fixture(scope="module")
def sbom():
    program = BUILD_DIR / "bin" / "psw"
    done = subprocess.run([program, "sbom"], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def properties(component, name):
    return [p["value"] for p in component.get("properties", []) if p["name"] == name]


def purl_parts(purl):
    """(type, namespace, name, version, qualifiers) of a purl, decoded."""
    match = re.fullmatch(r"pkg:([a-z]+)/(?:(.+)/)?([^/@]+)@([^?#]+)(?:\?([^#]*))?", purl)
    assert match, f"not a purl with a version: {purl}"
    kind, namespace, name, version, query = match.groups()
    qualifiers = dict(pair.split("=", 1) for pair in query.split("&")) if query else {}
    unquote = urllib.parse.unquote
    return (kind, unquote(namespace or ""), unquote(name), unquote(version),
            {key: unquote(value) for key, value in qualifiers.items()})


def install_deps_list():
    out = subprocess.run(["bash", SOURCE_DIR / "scripts" / "install-deps", "--list"],
                         capture_output=True, text=True, check=True).stdout
    return [line.split(" ", 1) for line in out.splitlines() if line.strip()]


def test_the_sbom_is_valid_cyclonedx_1_5(sbom):
    # The schema is CycloneDX's, so any field psw writes wrongly shows up here.
    assert validate_sbom.violations(sbom) == []
    assert sbom["bomFormat"] == "CycloneDX" and sbom["specVersion"] == "1.5"


@pytest.mark.parametrize("break_it, complaint", [
    (lambda bom: bom["components"][0].pop("name"), "'name' is a required property"),
    (lambda bom: bom["components"][0].update(type="widget"), "'widget' is not one of"),
    (lambda bom: bom.update(serialNumber="12345"), "does not match"),
    (lambda bom: bom["components"][0].update(
        licenses=[{"license": {"id": "Not-A-Licence"}}]), "is not valid under any"),
    (lambda bom: bom.update(specVersion=1.5), "is not of type 'string'"),
])
def test_a_broken_sbom_fails_validation(sbom, break_it, complaint):
    # The validator can fail: each deliberate breakage of a valid SBOM is reported.
    broken = copy.deepcopy(sbom)
    break_it(broken)
    problems = validate_sbom.violations(broken)
    assert any(complaint in line for line in problems), problems


def test_the_validator_script_says_valid_or_lists_violations(sbom, tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(sbom))
    bad = tmp_path / "bad.json"
    broken = copy.deepcopy(sbom)
    del broken["bomFormat"]
    bad.write_text(json.dumps(broken))
    script = SOURCE_DIR / "scripts" / "validate-sbom"
    ok = subprocess.run([script, good], capture_output=True, text=True)
    assert ok.returncode == 0 and ok.stdout.strip() == "valid"
    failed = subprocess.run([script, bad], capture_output=True, text=True)
    assert failed.returncode == 1
    assert "'bomFormat' is a required property" in failed.stdout


def test_psw_is_the_subject_with_the_version_psw_reports(sbom, psw_program):
    # `psw --version` prints "psw X.Y.Z" first; the SBOM must name the same psw.
    first = subprocess.run([psw_program, "--version"], capture_output=True, text=True,
                           check=True).stdout.splitlines()[0]
    subject = sbom["metadata"]["component"]
    assert first == f"psw {subject['version']}"
    assert subject["name"] == "psw" and subject["type"] == "library"
    assert [tool["name"] for tool in sbom["metadata"]["tools"]["components"]] == ["psw"]
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", sbom["serialNumber"])


def test_every_debian_component_has_the_version_dpkg_reports_now(sbom):
    debian = [c for c in sbom["components"] if c["purl"].startswith("pkg:deb/")]
    assert debian
    wanted = {}
    for component in debian:
        _, vendor, name, version, qualifiers = purl_parts(component["purl"])
        # The purl carries the same name and version, percent-encoded (the purl spec).
        assert (vendor, name, version) == ("debian", component["name"], component["version"])
        assert qualifiers["distro"].startswith("debian-")
        wanted[(name, qualifiers["arch"])] = component["version"]
    now = subprocess.run(["dpkg-query", "-W", "-f=${Package}\t${Architecture}\t${Version}\n",
                          *sorted({name for name, _ in wanted})],
                         capture_output=True, text=True, check=True).stdout
    installed = {tuple(line.split("\t")[:2]): line.split("\t")[2]
                 for line in now.splitlines()}
    for key, version in sorted(wanted.items()):
        assert installed.get(key) == version, f"{key}: SBOM {version}, dpkg {installed.get(key)}"


def test_every_npm_component_has_the_version_of_its_package_json(sbom):
    npm = [c for c in sbom["components"] if c["purl"].startswith("pkg:npm/")]
    if not npm:
        pytest.skip("no npm packages installed (scripts/install-deps installs them)")
    for component in npm:
        (directory,) = properties(component, "psw:npm.path")
        manifest = json.loads((pathlib.Path(directory) / "package.json").read_text())
        _, namespace, name, version, _ = purl_parts(component["purl"])
        assert (f"{namespace}/{name}".lstrip("/"), version) == (manifest["name"],
                                                                manifest["version"])
        assert component["version"] == manifest["version"]


def test_every_package_install_deps_installs_is_listed(sbom):
    names = {c["name"] for c in sbom["components"] if c["purl"].startswith("pkg:deb/")}
    npm = {(c.get("group", "") + "/" + c["name"]).lstrip("/"): c["version"]
           for c in sbom["components"] if c["purl"].startswith("pkg:npm/")}
    missing = {p["value"] for p in sbom["metadata"].get("properties", [])
               if p["name"] == "psw:missing"}
    listed = install_deps_list()
    status = subprocess.run(["dpkg-query", "-W", "-f=${Package} ${db:Status-Status}\n",
                             *[value for kind, value in listed if kind == "deb"]],
                            capture_output=True, text=True).stdout
    installed = {line.split()[0] for line in status.splitlines() if line.endswith(" installed")}
    for kind, value in listed:
        if kind == "deb":
            if value in installed:
                assert value in names, f"{value} is installed but not in the SBOM"
            else:
                assert f"deb {value}" in missing, f"{value} is neither listed nor missing"
        elif kind == "npm":
            name, _, pinned = value.rpartition("@")
            if f"npm {value}" in missing:
                continue
            assert npm.get(name) == pinned, (
                f"install-deps pins {value}, the SBOM has {npm.get(name)}: "
                "run scripts/install-deps")
        elif kind == "npm-dir":
            paths = {v for c in sbom["components"] for v in properties(c, "psw:npm.path")}
            assert value in paths or f"npm-dir {value}" in missing, value


def test_every_library_psw_loads_is_a_component(sbom, psw_program):
    # Independently of the generator: ldd's answer now, each file's owner from dpkg -S.
    listing = subprocess.run(["ldd", psw_program], capture_output=True, text=True,
                             check=True).stdout
    paths = set(re.findall(r"=> (/\S+)", listing)) | set(re.findall(r"^\s+(/\S+)", listing,
                                                                      re.MULTILINE))
    names = {c["name"] for c in sbom["components"]}
    build = os.path.realpath(BUILD_DIR)
    # libpsw itself is the SBOM's subject, not a package.
    paths = [p for p in sorted(paths) if not os.path.realpath(p).startswith(build + os.sep)]
    # dpkg records some files under /lib, others under /usr/lib (merged /usr): ask for both, and
    # for the file an alternatives link (libblas.so.3 -> /etc/alternatives/...) resolves to.
    asked = paths + ["/usr" + p for p in paths if p.startswith("/lib")]
    asked += [os.path.realpath(p) for p in paths if os.path.realpath(p) != p]
    answer = subprocess.run(["dpkg-query", "-S", *asked], capture_output=True, text=True).stdout
    owner = {}
    for line in answer.splitlines():
        packages, _, path = line.partition(": /")
        owner["/" + path] = packages.split(",")[0].split(":")[0]
    checked = 0
    for path in paths:
        package = (owner.get(path) or owner.get("/usr" + path)
                   or owner.get(os.path.realpath(path)))
        assert package, f"dpkg knows no package for {path}"
        assert package in names, f"{path} comes from {package}, which the SBOM lacks"
        checked += 1
    assert checked >= 5  # libc, libstdc++, yaml-cpp, spdlog, fmt at least


def test_what_cmake_found_is_recorded_with_the_version_psw_reports(sbom, psw_program):
    # `psw --version` lists what CMake found; each found entry is recorded on the Debian
    # package that installed it, and that package's upstream version begins with CMake's.
    report = subprocess.run([psw_program, "--version"], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    found = dict(line.strip().rsplit(" ", 1) for line in report if "not found" not in line)
    recorded = {}
    for component in sbom["components"]:
        for value in properties(component, "psw:cmake.package"):
            name, version = value.rsplit(" ", 1)
            recorded[name] = (version, component["version"])
    assert set(recorded) == set(found)
    for name, (version, package_version) in recorded.items():
        assert version == found[name], name
        upstream = package_version.split(":", 1)[-1]
        if name != "MPI":  # CMake reports the MPI standard's version, not Open MPI's
            assert upstream.startswith(version), (name, version, package_version)


def test_the_dependency_graph_refers_only_to_components(sbom):
    refs = [c["bom-ref"] for c in sbom["components"]]
    assert len(refs) == len(set(refs)), "bom-refs are unique"
    known = set(refs) | {sbom["metadata"]["component"]["bom-ref"]}
    graph = {entry["ref"]: entry.get("dependsOn", []) for entry in sbom["dependencies"]}
    assert set(graph) == known
    for ref, targets in graph.items():
        assert set(targets) <= known, ref
    # psw depends on the C library it runs on and the YAML library it parses cases with.
    direct = {purl_parts(ref)[2] for ref in graph[sbom["metadata"]["component"]["bom-ref"]]}
    assert {"libc6", "libyaml-cpp-dev"} <= direct


def test_licences_come_only_from_declarations(sbom):
    # A Debian licence is the `Files: *` licence of a DEP-5 copyright file; free-form
    # copyright files give none.
    for component in sbom["components"]:
        if not component["purl"].startswith("pkg:deb/") or "licenses" not in component:
            continue
        copyright_file = pathlib.Path("/usr/share/doc") / component["name"] / "copyright"
        text = copyright_file.read_text(errors="replace")
        assert text.startswith("Format:"), component["name"]
        (entry,) = component["licenses"]
        declared = entry["license"].get("id") or entry["license"]["name"]
        assert re.search(r"^License:[ \t]*" + re.escape(declared) + r"[ \t]*$", text,
                         re.MULTILINE | re.IGNORECASE), component["name"]


def test_sbom_output_file_equals_stdout_and_is_written_whole(psw_program, tmp_path):
    target = tmp_path / "psw.cdx.json"
    target.write_text("old content")
    subprocess.run([psw_program, "sbom", "-o", target], check=True, capture_output=True)
    printed = subprocess.run([psw_program, "sbom"], capture_output=True, text=True,
                             check=True).stdout
    assert target.read_text() == printed
    assert [p.name for p in tmp_path.iterdir()] == ["psw.cdx.json"]  # no temporary left


def test_sbom_into_a_missing_directory_is_a_clear_error(psw_program):
    done = subprocess.run([psw_program, "sbom", "-o", "/nonexistent/dir/x.json"],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert ("cannot write '/nonexistent/dir/x.json': directory '/nonexistent/dir' does not "
            "exist") in done.stderr


def test_sbom_path_names_the_build_trees_file(psw_program):
    done = subprocess.run([psw_program, "sbom", "--path"], capture_output=True, text=True,
                          check=True)
    assert pathlib.Path(done.stdout.strip()) == BUILD_DIR / "psw.cdx.json"


def test_the_python_twin_gives_the_same_sbom(sbom, tmp_path):
    import psw

    assert psw.sbom() == sbom
    assert pathlib.Path(psw.sbom_path()) == BUILD_DIR / "psw.cdx.json"
    written = psw.sbom(output=tmp_path / "twin.json")
    assert json.loads(pathlib.Path(written).read_text()) == sbom
    with pytest.raises(ValueError, match="directory '/nonexistent/dir' does not exist"):
        psw.sbom(output="/nonexistent/dir/x.json")


def test_purls_are_encoded_as_the_purl_specification_asks():
    # purl spec: name and version percent-encoded, ':' kept in a version (a Debian epoch), '+'
    # as %2B; qualifiers sorted by key; an npm scope is the namespace with '@' as %40.
    assert (generator.purl("deb", "libstdc++6", "1:12.2.0-14+deb12u1", "debian",
                           {"distro": "debian-12", "arch": "amd64"})
            == "pkg:deb/debian/libstdc%2B%2B6@1:12.2.0-14%2Bdeb12u1?arch=amd64&distro=debian-12")
    assert generator.purl("npm", "stream", "13.0.0", "@serialport") == (
        "pkg:npm/%40serialport/stream@13.0.0")


DEP5 = """Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: example

Files: debian/*
Copyright: 2020 Someone
License: GPL-2+

Files: src/*.c
 *
Copyright: 2019 Upstream
License: BSD-3-clause
 Redistribution and use in source and binary forms ...

License: GPL-2+
 This program is free software ...
"""


@pytest.mark.parametrize("text, expected", [
    (DEP5, "BSD-3-clause"),  # the stanza whose Files list includes '*', continuation line
    (DEP5.replace(" *\n", ""), None),  # no stanza covers '*': nothing is guessed
    ("This package was debianized by someone.\nIt is GPL.\n", None),  # free-form text
])
def test_only_the_files_star_stanza_of_a_dep5_file_gives_the_licence(text, expected):
    assert generator.dep5_files_star_licence(text) == expected


@pytest.mark.parametrize("declared, expression_ok, expected", [
    ("bsd-3-clause", False, [{"license": {"id": "BSD-3-Clause"}}]),  # SPDX spelling
    ("Expat", False, [{"license": {"name": "Expat"}}]),  # Debian's name, not translated
    ("GPL-2+ or LGPL-3+", False, [{"license": {"name": "GPL-2+ or LGPL-3+"}}]),
    ("(MIT OR Apache-2.0)", True, [{"expression": "(MIT OR Apache-2.0)"}]),  # npm, SPDX
    ("", True, None),
])
def test_declared_licences_map_to_spdx_only_when_they_are_spdx(declared, expression_ok,
                                                               expected):
    spdx = generator.spdx_ids(SOURCE_DIR / "data" / "sbom")
    assert generator.licence_entry(declared, spdx, expression_ok) == expected
