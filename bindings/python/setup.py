"""Builds and installs the `workflow` Python package, offline.

The extension workflow._workflow is built by the project's own CMake build (the same
bindings/python/CMakeLists.txt a normal build uses), configured with the library and the
bindings only, then copied into the package. Nothing is downloaded: it needs what tools/run
installs from Debian (cmake, g++, pybind11-dev, python3-dev, python3-setuptools,
python3-wheel and the library's -dev packages). Use:

    /usr/bin/python3 -m pip install --no-build-isolation ./bindings/python

Environment: CMAKE_BUILD_PARALLEL_LEVEL (compile jobs, default 2), WORKFLOW_CMAKE_ARGS
(extra arguments for the CMake configure step), WORKFLOW_SOURCE_DIR (the libworkflow
checkout, default: two directories up from this file), WORKFLOW_PIP_BUILD_DIR (where to
build; default a temporary directory removed afterwards).

Nothing is written into the source tree: setuptools' build/ and *.egg-info go to that
build directory. Besides the extension, the wheel holds the shipped rule sets
(workflow/rules/{ningdu,sandu,calendar}, workflow.shipped_rules()) and the `workflow`
command-line tool (workflow/bin/workflow, run by `python -m workflow`).

The distribution is `libworkflow-hall`; the import name stays `workflow` (see
bindings/README.md, "Naming"). The metadata is in pyproject.toml; the version is the
CMake project's.
"""

import os
import re
import shlex
import atexit
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
ROOT = Path(os.environ.get("WORKFLOW_SOURCE_DIR", HERE.parent.parent)).resolve()


def build_base() -> Path:
    """Where setuptools and CMake build: never the source tree."""
    given = os.environ.get("WORKFLOW_PIP_BUILD_DIR")
    if given:
        Path(given).mkdir(parents=True, exist_ok=True)
        return Path(given).resolve()
    temp = Path(tempfile.mkdtemp(prefix="libworkflow-pip-"))
    atexit.register(shutil.rmtree, temp, ignore_errors=True)
    return temp


BUILD = build_base()


def project_version() -> str:
    """The version in the top-level CMakeLists.txt, so there is one place to change it."""
    text = (ROOT / "CMakeLists.txt").read_text(encoding="utf-8")
    found = re.search(r"project\(workflow\s+VERSION\s+([0-9.]+)", text)
    if not found:
        raise RuntimeError(f"no project(workflow VERSION ...) in {ROOT / 'CMakeLists.txt'}")
    return found.group(1)


class CMakeExtension(Extension):
    """An extension whose sources CMake knows; setuptools compiles nothing itself."""

    def __init__(self, name: str) -> None:
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext: Extension) -> None:
        if not (ROOT / "libworkflow" / "CMakeLists.txt").is_file():
            raise RuntimeError(f"{ROOT} is not a libworkflow checkout; set WORKFLOW_SOURCE_DIR")
        build_dir = Path(self.build_temp).resolve() / "cmake"
        args = [
            "-DCMAKE_BUILD_TYPE=Release",
            # The interpreter pip runs under (a venv's python is Debian's, symlinked), given
            # on every configure so a build directory reused from another venv follows it.
            f"-DPython3_EXECUTABLE={sys.executable}",
            "-DWORKFLOW_BUILD_PYTHON=ON",
            "-DWORKFLOW_BUILD_TESTS=OFF",
            "-DWORKFLOW_BUILD_EXAMPLES=OFF",
            "-DWORKFLOW_BUILD_BENCHMARKS=OFF",
            "-DWORKFLOW_BUILD_TOOLS=ON",  # the `workflow` tool, shipped in the wheel
            "-DWORKFLOW_INSTALL=OFF",
        ]
        try:  # Debian's python3-pybind11 knows where pybind11-dev's CMake files are
            import pybind11
            if Path(pybind11.get_cmake_dir()).is_dir():
                args.append(f"-Dpybind11_DIR={pybind11.get_cmake_dir()}")
        except ImportError:  # CMake then finds pybind11-dev's files under /usr/lib/cmake
            pass
        if shutil.which("ninja") and not (build_dir / "CMakeCache.txt").exists():
            args += ["-G", "Ninja"]
        args += shlex.split(os.environ.get("WORKFLOW_CMAKE_ARGS", ""))
        subprocess.run(["cmake", "-S", str(ROOT), "-B", str(build_dir), *args], check=True)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", "2")
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "_workflow",
                        "workflow_cli", "-j", jobs], check=True)
        package = build_dir / "bindings" / "python" / "workflow"
        built = sorted(package.glob("_workflow*.so"))
        if not built:
            raise RuntimeError(f"CMake did not produce _workflow*.so under {build_dir}")
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(built[0], target)
        # The data the CMake build put beside the extension: the rule sets, and the tool.
        shutil.copytree(package / "rules", target.parent / "rules", dirs_exist_ok=True)
        (target.parent / "bin").mkdir(exist_ok=True)
        shutil.copy2(build_dir / "tools" / "workflow", target.parent / "bin" / "workflow")


setup(
    # name, description, licence, classifiers, URLs...: pyproject.toml [project]
    version=project_version(),
    packages=["workflow"],
    package_data={"workflow": ["py.typed", "*.pyi"]},
    ext_modules=[CMakeExtension("workflow._workflow")],
    cmdclass={"build_ext": CMakeBuild},
    zip_safe=False,
    options={
        "build": {"build_base": str(BUILD / "build")},
        "egg_info": {"egg_base": str(BUILD)},
    },
)
