"""Packaging for Scrapyd: ``scrapyd-deploy`` builds an egg of the project from this file.

The project is not meant to be installed otherwise; it runs from its folder with ``scrapy``.
"""

from setuptools import find_packages, setup

setup(
    name="atlantico",
    version="0.1.0",
    packages=find_packages(include=["atlantico", "atlantico.*"]),
    # The feed's JSON Schema is read at run time by the monitors.
    package_data={"atlantico": ["schema/*.json"]},
    entry_points={"scrapy": ["settings = atlantico.settings"]},
)
