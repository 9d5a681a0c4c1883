"""Scrapy add-ons: settings bundles switched on by a project setting."""
