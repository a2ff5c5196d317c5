"""The Python surface of psw.core: config loading, errors, RNG streams."""

import numpy as np
import pytest

import psw
from psw.core import Config, Range, RngStream, load_config


def test_version_matches_the_library():
    # The version the extension reports is the one CMake configured into libpsw.
    assert psw.__version__.count(".") == 2
    assert psw.version_report().startswith(f"psw {psw.__version__}\n")
    assert "yaml-cpp" in psw.dependency_versions()


def test_load_a_yaml_case_and_read_it_in_si(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text("ttm:\n  layers:\n    - {material: Au, thickness_nm: 100, cells: 400}\n"
                    "  source: {fluence_J_per_m2: 13.4, pulse_fwhm_fs: 96}\n")
    ttm = load_config(case).section("ttm")
    layer = ttm.list("layers")[0]
    # 100 nm and 96 fs in SI.
    assert layer.get_si("thickness_nm", range=Range.positive()) == pytest.approx(1e-7, rel=1e-15)
    assert ttm.section("source").get_si("pulse_fwhm_fs") == pytest.approx(9.6e-14, rel=1e-15)
    assert layer.get_int("cells") == 400
    assert ttm.get_double("absent", default=2.5) == 2.5


def test_a_bad_key_raises_value_error_naming_the_key_and_the_file(tmp_path):
    case = tmp_path / "typo.yaml"
    case.write_text("job:\n  name: t\n  sites:\n    - {id: A, x_um: 0, y_um: 0, gap_um: 1}\n"
                    "  seeed: 3\n")
    with pytest.raises(ValueError) as error:
        psw.twin.load_job(case)
    message = str(error.value)
    assert f"{case}:5:3:" in message
    assert "unknown key 'job.seeed'" in message
    assert "seed" in message.split("accepted keys here:")[1]


def test_out_of_range_values_keep_the_cpp_message():
    c = Config.parse("ttm: {fluence_J_per_m2: -3}\n", "case.yaml")
    with pytest.raises(ValueError,
                       match=r"^case\.yaml:1:25: ttm\.fluence_J_per_m2 = -3 is outside \(0, 10000\]$"):
        c.section("ttm").get_double("fluence_J_per_m2", range=Range.open_closed(0, 1e4))


def test_a_missing_file_is_a_value_error_naming_the_path(tmp_path):
    with pytest.raises(ValueError, match="cannot read config file '.*nope.yaml'"):
        load_config(tmp_path / "nope.yaml")


def test_dicts_load_like_files_and_set_edits_them():
    c = load_config({"ttm": {"source": {"fluence_J_per_m2": 13.4}}})
    c.set("ttm.source.fluence_J_per_m2", 20.0)
    assert c.section("ttm").section("source").get_double("fluence_J_per_m2") == 20.0
    with pytest.raises(TypeError):
        c.set("ttm.x", [1, 2])


def test_rng_streams_are_reproducible_and_split_by_index():
    root = RngStream(2026)
    a = root.substream(3).uniform(1000)
    b = RngStream(2026).substream(3).uniform(1000)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, root.substream(4).uniform(1000))
    # U(0,1): mean 1/2 with σ = √(1/12000) ≈ 0.0091 for 1000 draws; 5σ bound.
    assert abs(a.mean() - 0.5) < 0.046
    assert isinstance(root.normal(), float)
    with pytest.raises(ValueError, match="n = 0"):
        root.below(0)


def test_constants_are_codata_2018():
    c = psw.core.constants
    assert c.boltzmann == 1.380649e-23
    assert c.elementary_charge == 1.602176634e-19
