"""The seed article (docs/seed-page.txt, a real page's text) as the replica serves it, checked
field by field against values written by hand from the seed text."""

from __future__ import annotations

import re
import urllib.request

from scrapy.http import HtmlResponse, Request

from atlantico.extract import extract_article
from tests.replica import ReplicaServer

SLUG = "elon-musk-confie-quetre-proprietaire-de-twitter-est-assez-douloureux"

EXPECTED_BODY = "\n\n".join(
    [
        'Elon Musk a assuré mercredi dans une interview à la BBC que la gestion de Twitter avait été comparable à des "montagnes russes". Le patron du réseau social a reconnu "de nombreuses erreurs", six mois après avoir racheté l\'entreprise pour 44 milliards de dollars.',
        "Dans le cadre de cet entretien, le patron de Twitter fait également son mea culpa :",
        "\"Y a-t-il de nombreuses erreurs commises en cours de route? Bien sûr. Mais tout est bien qui finit bien. J'ai l'impression que nous nous dirigeons dans la bonne direction\".",
        'Elon Musk s’est aussi confié sur la réalité économique de Twitter. Il a confié que l\'entreprise voyait les annonceurs revenir et était "à peu près au seuil de rentabilité".',
        'Le patron de Tesla, SpaceX et Twitter s\'est exprimé dans une interview surprise accordée à la BBC pendant la nuit. La chaîne a indiqué avoir reçu une invitation d’Elon Musk "dans un délai très court".',
        "Des extraits ont été publiés sur le site de la BBC.",
        "Elon Musk a signé le mois dernier un appel à faire une pause dans la recherche sur les IA de dernière génération. Il a appelé mercredi à la création d'un régulateur \"pour s'assurer que (cette technologie) ne présente pas de danger pour le public\".",
    ]
)


def fetch(replica: ReplicaServer, path: str) -> HtmlResponse:
    url = replica.base_url + path
    with urllib.request.urlopen(url, timeout=10) as answer:
        return HtmlResponse(
            url=answer.geturl(),
            body=answer.read(),
            headers=dict(answer.headers.items()),
            request=Request(url),
        )


def test_seed_article_field_by_field(replica: ReplicaServer) -> None:
    response = fetch(replica, f"/article/pepite/{SLUG}")
    item = extract_article(response, sections=["high-tech"], base_url=replica.base_url)

    assert item.url == f"{replica.base_url}/article/pepite/{SLUG}"
    assert item.canonicalUrl == item.url
    assert (
        item.headline == 'Elon Musk confie qu’être propriétaire de Twitter est "assez douloureux"'
    )
    assert item.kicker == "Mea culpa"
    assert item.description == (
        "Dans une interview accordée à la BBC, Elon Musk a déclaré que la gestion de Twitter "
        'était comparable à des "montagnes russes".'
    )
    assert item.articleBody == EXPECTED_BODY
    assert item.wordCount == len(re.findall(r"\S*\w\S*", EXPECTED_BODY)) == 207
    assert item.authors == []
    assert item.category == "High-tech"
    assert item.type == "pepite"
    assert item.tags == ["BBC"]
    assert item.themes == []
    assert item.sections == ["high-tech"]
    assert item.datePublished == "2023-04-12T09:15:00+02:00"
    assert item.dateModified is None
    assert item.isAccessibleForFree is True
    assert item.bodyTruncated is False
    assert item.inLanguage == "fr"
    assert item.mainImage is not None
    assert item.mainImage["credit"] == "OLIVIER DOULIERY / AFP"
    assert item.mainImage["caption"] == (
        "Elon Musk a confié dans une interview à la BBC que la gestion de Twitter avait été "
        'comparable à des "montagnes russes".'
    )
    assert item.mainImage["url"].startswith("https://atlantico-media.s3.eu-west-3.amazonaws.com/")
    assert item.metadata["validationMessages"] == []
    # The end-of-page boilerplate of the seed page never reaches the body.
    assert "débordements" not in EXPECTED_BODY
    assert "débordements" not in (item.articleBody or "")
    assert "partager cet article" not in (item.articleBody or "")
