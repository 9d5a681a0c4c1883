"""Era B, the transitional template between Drupal and React, with RDFa.

[inferred] Drupal 7 themes mark the node with RDFa: ``<span property="dc:date dc:created"
content="2017-05-12T10:00:00+02:00">``, ``property="dc:title"``, the body in
``property="content:encoded"``, the author under ``rel="sioc:has_creator"``; the RDFa
properties are read as structured data (:mod:`atlantico.extract.fields`). Bodies are often bare
text with ``<br><br>`` runs, made paragraphs by :mod:`atlantico.extract.body`. Drupal 7 field
classes: ``field-name-body``, ``field-item``, ``submitted``.
"""

from atlantico.extract.layouts.base import Layout

LAYOUT = Layout(
    name="transitional",
    body=("field-name-body", "field-type-text-with-summary", "node-content", "field-item"),
    byline=("submitted", "username"),
    date=("submitted",),
    chapo=("field-name-field-chapo", "field-chapo"),
    kicker=("field-name-field-surtitre",),
    tags=("field-name-field-tags", "field-tags"),
)
