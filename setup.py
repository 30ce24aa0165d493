# Only computes the package list: every package under desktop/, plus resources/ shipped as
# sipsight.resources (pyproject.toml's package-dir maps it). Everything else is in pyproject.toml.
from setuptools import find_packages, setup

setup(packages=[*find_packages("desktop"), "sipsight.resources"])
