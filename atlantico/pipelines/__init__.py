"""Item pipelines, one per module, in the order ``settings.ITEM_PIPELINES`` runs them."""
