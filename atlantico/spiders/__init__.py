"""The crawler's spiders (one: ``atlantico``)."""
