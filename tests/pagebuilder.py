"""A small builder of article pages: one truth, many shapes.

Each :class:`Truth` (headline, kicker, chapo, category, date, authors, body, image credit,
premium teaser) is rendered in a :class:`Shape`: a layout era of docs/SITE.md (A Drupal, B
transitional with RDFa, C React, D "v3" host with plain-text dates, E current), a class-name
style (the era's known names, CSS-module hashes, opaque styled-components names, no class at
all), a structured-data form (none, flat JSON-LD, ``@graph`` with ``@id`` references, several
scripts, microdata), a date form, a body kind (paragraphs, ``<br><br>`` runs, interview, live
blog), furniture inside the body, and a paywall form. The extractor must give the same truth
back from every shape. Nothing here is shared with the replica's generator.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=PARIS)
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")  # fmt: skip
WEEKDAYS = ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche")

ERAS = ("A", "B", "C", "D", "E")
CLASS_STYLES = ("known", "hashed", "styled", "plain")
STRUCTURED = ("none", "flat", "graph", "several", "microdata")
DATE_FORMS = ("iso", "text", "text-er", "published", "relative", "rdfa", "jsonld-only")
BODY_KINDS = ("paragraphs", "br", "interview", "live")
PAYWALLS = ("none", "dpslvp", "markup", "tonos", "drupal")
FURNITURE = ("related-class", "related-text", "pager", "vu-sur", "ads", "newsletter", "embed",
             "author-card", "placeholder")  # fmt: skip

_SUBJECTS = ("Le gouvernement", "La Commission européenne", "Elon Musk", "La Cnil", "Le patron de Meta",
             "Bercy", "L’Arcep", "Le Conseil d’Etat", "La start-up nantaise", "Le régulateur")  # fmt: skip
_VERBS = ("a annoncé", "a reconnu", "a démenti", "a confirmé", "a précisé", "a rappelé")
_OBJECTS = ("un plan de 2 milliards d’euros pour l’intelligence artificielle",
            "des « erreurs » dans la gestion du dossier", "l’ouverture d’une enquête sur les données",
            "un accord avec les opérateurs télécoms", "la fin du moratoire sur la reconnaissance faciale",
            "une hausse de 12 % des cyberattaques", "le report de la taxe sur le numérique")  # fmt: skip
_TAILS = ("mardi soir", "dans un communiqué", "devant les députés", "à la surprise générale",
          "selon nos informations", "au terme de six mois de négociations")  # fmt: skip
PEOPLE = ("Jean Dupont", "Sébastien Le Fol", "Franck DeCloquement", "Marie-Hélène Martin",
          "Guillaume Lagane", "Emmanuel Lincot", "Anne de Vaucelles", "Chloé Morin")  # fmt: skip
CATEGORIES = ("High-tech", "Economie", "Politique", "International", "Société", "Culture")
CREDITS = ("OLIVIER DOULIERY / AFP", "Reuters", "DR", "JOEL SAGET / AFP")
OTHER_HEADLINES = ("Pourquoi la 5G inquiète encore les maires",
                   "Le grand retour du minitel, vraiment ?",
                   "Ces start-up qui parient sur l’ordinateur quantique")  # fmt: skip
FURNITURE_TEXTS = ("À lire aussi", "A lire aussi", "Page suivante", "Vu sur", "Publicité",
                   "newsletter", "tweet du jour", "Voir la bio", "réservé aux abonnés",
                   "Pour lire la suite", "Je m'abonne", "Contenu sponsorisé", *OTHER_HEADLINES,
                   "Les plus lus", "Mots-Clés", "Le sujet vous intéresse")  # fmt: skip


def sentence(rng: random.Random) -> str:
    return (f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} "
            f"{rng.choice(_TAILS)}.")  # fmt: skip


@dataclass
class Truth:
    headline: str
    kicker: str | None
    chapo: str
    category: str
    published: datetime
    authors: list[str]
    paragraphs: list[str]  # the body as the reader reads it (the teaser when premium)
    premium: bool
    credit: str
    caption: str
    tags: list[str]
    kind: str = "paragraphs"
    # Text that the page prints but that is not the body (must never reach articleBody).
    outside: list[str] = field(default_factory=list)


@dataclass
class Shape:
    era: str
    classes: str
    structured: str
    date_form: str
    body_kind: str
    paywall: str
    furniture: tuple[str, ...]
    seed: int

    @property
    def name(self) -> str:
        return (f"{self.era}-{self.classes}-{self.structured}-{self.date_form}-{self.body_kind}"
                f"-{self.paywall}-{'+'.join(self.furniture) or 'clean'}-{self.seed}")  # fmt: skip


def make_truth(rng: random.Random, shape: Shape) -> Truth:
    headline = rng.choice(("Intelligence artificielle : ", "Cybersécurité : ", "")) + (
        f"{rng.choice(_SUBJECTS)} n’était pas prêt pour {rng.choice(('la 5G', 'le cloud', 'l’IA'))}"
    )
    n = rng.randint(4, 7)
    if shape.body_kind == "interview":
        expert = rng.choice(PEOPLE)
        paragraphs = []
        for i in range(n):
            if i % 2 == 0:
                paragraphs.append(f"Atlantico : {sentence(rng)[:-1]} ?")
            else:
                paragraphs.append(f"{expert} : {sentence(rng)} {sentence(rng)}")
    elif shape.body_kind == "live":
        paragraphs = [f"{23 - i % 24}h{10 + i:02d} : {sentence(rng)}" for i in range(n)]
    else:
        paragraphs = [" ".join(sentence(rng) for _ in range(rng.randint(1, 3))) for _ in range(n)]
        # distinct first/last sentences so that the assertions mean something
        paragraphs[0] = "Tout a commencé par un simple courriel. " + paragraphs[0]
        paragraphs[-1] = paragraphs[-1] + " La suite dira qui avait raison."
    premium = shape.paywall != "none"
    if premium:
        paragraphs = paragraphs[: rng.randint(1, 2)]
    day = datetime(rng.randint(2012, 2025), rng.randint(1, 12), rng.randint(1, 28),
                   rng.randint(6, 22), rng.choice((0, 5, 30, 45)), tzinfo=PARIS)  # fmt: skip
    if shape.date_form in ("text", "text-er"):
        day = day.replace(hour=0, minute=0)
        if shape.date_form == "text-er":
            day = day.replace(day=1)
    if shape.date_form == "relative":
        day = NOW - timedelta(hours=rng.randint(1, 20))
        day = day.replace(second=0, microsecond=0)
    authors = rng.sample(PEOPLE, rng.choice((1, 1, 2)))
    return Truth(
        headline=headline,
        kicker=rng.choice(("Mea culpa", "Revue de presse des hebdos", "PAS DE BLANC-SEING", None)),
        chapo=f"{sentence(rng)[:-1]}, et ce n’est qu’un début.",
        category=rng.choice(CATEGORIES),
        published=day,
        authors=authors,
        paragraphs=paragraphs,
        premium=premium,
        credit=rng.choice(CREDITS),
        caption=f"Illustration : {rng.choice(_SUBJECTS).lower()} en réunion.",
        tags=rng.sample(("BBC", "Twitter", "IA", "Cnil", "5G"), 2),
        kind=shape.body_kind,
    )


# -- class names --------------------------------------------------------------------------

_KNOWN = {
    "E": {"article": "article", "body": "rich-content__text", "kicker": "article__surtitle",
          "chapo": "article__chapo", "byline": "article__byline", "date": "article__date",
          "category": "article__category", "caption": "article__caption",
          "credit": "article__credit", "tags": "article__tags", "card": "author-card"},
    "D": {"article": "post", "body": "article-body", "kicker": "kicker", "chapo": "standfirst",
          "byline": "byline", "date": "dateline", "category": "category", "caption": "caption",
          "credit": "credit", "tags": "tags", "card": "author-card"},
    "C": {"article": "article", "body": "content-body", "kicker": "surtitle", "chapo": "chapo",
          "byline": "author-name", "date": "date", "category": "category",
          "caption": "legende", "credit": "photo-credit", "tags": "tags", "card": "author-card"},
    "B": {"article": "node", "body": "field-name-body", "kicker": "field-name-field-surtitre",
          "chapo": "field-name-field-chapo", "byline": "submitted", "date": "submitted",
          "category": "field-name-field-rubrique", "caption": "legende", "credit": "credit",
          "tags": "field-name-field-tags", "card": "author-card"},
    "A": {"article": "node", "body": "content-body", "kicker": "surtitre", "chapo": "chapo",
          "byline": "metas", "date": "metas", "category": "categorie", "caption": "legende",
          "credit": "credit", "tags": "tags", "card": "author-card"},
}  # fmt: skip
_WORDS = {"article": "Article", "body": "ArticleBody", "kicker": "Surtitle", "chapo": "Chapo",
          "byline": "Byline", "date": "Date", "category": "Category", "caption": "Caption",
          "credit": "Credit", "tags": "Tags", "card": "AuthorCard"}  # fmt: skip


class Names:
    def __init__(self, shape: Shape, rng: random.Random) -> None:
        self.shape = shape
        self.rng = rng
        self.cache: dict[str, str] = {}

    def _hash(self, n: int = 5) -> str:
        return "".join(self.rng.choice("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ0123456789")
                       for _ in range(n))  # fmt: skip

    def __call__(self, role: str) -> str:
        """` class="…"` for a role, or nothing."""
        if role not in self.cache:
            style = self.shape.classes
            if style == "known":
                value = _KNOWN[self.shape.era][role]
            elif style == "hashed":
                value = f"{_WORDS[role]}_root__{self._hash()}"
            elif style == "styled":
                value = f"sc-{self._hash(6)} {self._hash(6)}"
            else:
                value = ""
            self.cache[role] = value
        value = self.cache[role]
        if not value:
            return ""
        if self.shape.era == "A" and self.shape.classes == "known" and role == "body":
            return ' id="content-body"'
        return f' class="{value}"'


def french_date(moment: datetime, er: bool = False) -> str:
    day = "1er" if er and moment.day == 1 else str(moment.day)
    return f"{day} {MONTHS[moment.month - 1]} {moment.year}"


def printed_date(truth: Truth, shape: Shape) -> str:
    d = truth.published
    if shape.date_form == "relative":
        hours = round((NOW - d).total_seconds() / 3600)
        return f"il y a {hours} heures"
    if shape.date_form in ("text", "text-er"):
        return french_date(d, er=shape.date_form == "text-er")
    return f"Publié le {french_date(d)} à {d.hour}h{d.minute:02d}"


# -- the page -----------------------------------------------------------------------------


def jsonld(truth: Truth, shape: Shape, url: str, rng: random.Random) -> str:
    if shape.structured in ("none", "microdata"):
        return ""
    people = [{"@type": "Person", "@id": f"#p{i}", "name": n} for i, n in enumerate(truth.authors)]
    node: dict[str, object] = {"@type": rng.choice(("NewsArticle", ["Article", "NewsArticle"])),
                               "headline": truth.headline, "description": truth.chapo,
                               "articleSection": truth.category, "inLanguage": "fr-FR",
                               "keywords": truth.tags, "mainEntityOfPage": url}  # fmt: skip
    form = rng.choice(("escaped", "cut", "plain", "html-author", "string-author", "org"))
    if form == "escaped":
        node["headline"] = truth.headline.replace("’", "&rsquo;").replace(" : ", "&nbsp;: ")
    elif form == "cut" and len(truth.headline) > 30:
        node["headline"] = truth.headline[:25].rstrip() + "…"
        node["description"] = truth.chapo[:40].rstrip() + "..."
    if (
        shape.date_form != "jsonld-only"
        and shape.date_form not in ("iso",)
        and shape.date_form != "rdfa"
    ):
        pass
    elif shape.date_form in ("iso", "jsonld-only"):
        node["datePublished"] = truth.published.isoformat()
    if shape.structured == "graph":
        node["author"] = [{"@id": p["@id"]} for p in people]
    elif form == "html-author":
        node["author"] = [{"@type": "Person", "name": f"<span>{n.split()[0]}</span> "
                           f"{' '.join(n.split()[1:])}"} for n in truth.authors]  # fmt: skip
    elif form == "string-author":
        node["author"] = " et ".join(truth.authors)
    elif form == "org":
        node["author"] = [{"@type": "Organization", "name": "Atlantico"},
                          *({"@type": "Person", "name": n} for n in truth.authors)]  # fmt: skip
    else:
        node["author"] = people[0] if len(people) == 1 else people
    if truth.premium:
        node["isAccessibleForFree"] = rng.choice((False, "False"))
    elif rng.random() < 0.5:
        node["isAccessibleForFree"] = rng.choice((True, "True"))
    node["image"] = {
        "@type": "ImageObject",
        "url": "https://atlantico-media.s3.eu-west-3.amazonaws.com/x_1234567890.jpg",
    }

    def script(data: object) -> str:
        text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
        return f'<script type="application/ld+json">{text}</script>'

    if shape.structured == "graph":
        return script({"@context": "https://schema.org",
                       "@graph": [{"@type": "WebSite", "name": "Atlantico"}, *people, node]})  # fmt: skip
    if shape.structured == "several":
        crumbs = {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [],
        }
        return script(crumbs) + script({"@context": "https://schema.org", **node})
    return script({"@context": "https://schema.org", **node})


def _inline(text: str, rng: random.Random) -> str:
    """A paragraph's text with a link or emphasis on one word, sometimes."""
    words = escape(text, quote=False).split(" ")
    if len(words) > 6 and rng.random() < 0.5:
        i = rng.randrange(1, len(words) - 2)
        tag = rng.choice(("a", "strong", "em"))
        if tag == "a":
            words[i] = f'<a href="/tag/{i}">{words[i]}</a>'
        else:
            words[i] = f"<{tag}>{words[i]}</{tag}>"
    return " ".join(words)


def body_html(truth: Truth, shape: Shape, names: Names, rng: random.Random) -> str:
    paragraphs = truth.paragraphs
    parts: list[str] = []
    if shape.body_kind == "br":
        inner = "<br><br>\n".join(_inline(p, rng) for p in paragraphs)
        parts.append(inner)
    else:
        for p in paragraphs:
            if shape.body_kind == "interview":
                speaker, rest = p.split(" : ", 1)
                parts.append(f"<p><strong>{escape(speaker)} :</strong> {escape(rest)}</p>")
            elif shape.body_kind == "live":
                stamp, rest = p.split(" : ", 1)
                if rng.random() < 0.5:
                    parts.append(
                        f"<div{names('date')}><span>{stamp}</span><p>{escape(rest)}</p></div>"
                    )
                else:
                    parts.append(f"<p><strong>{stamp} : </strong>{escape(rest)}</p>")
            else:
                parts.append(f"<p>{_inline(p, rng)}</p>")
    middle = max(1, len(parts) // 2)
    extra: list[str] = []
    for item in shape.furniture:
        other = rng.choice(OTHER_HEADLINES)
        if item == "related-class":
            cls = rng.choice(
                ("RelatedArticle_x7f", "read-also", "ReadAlso__box", "related-content")
            )
            extra.append(
                f'<div class="{cls}"><span>Sur le même sujet</span><a href="/article/x">{other}</a></div>'
            )
        elif item == "related-text":
            extra.append(
                rng.choice(
                    (
                        f'<div class="sc-kfPuZi"><p>À lire aussi</p><a href="/article/y">{other}</a></div>',
                        f'<p><strong>A lire aussi :</strong> <a href="/article/z">{other}</a></p>',
                    )
                )
            )
        elif item == "ads":
            extra.append('<div id="pv_atf"></div><div id="infeed"><span>Publicité</span></div>')
        elif item == "newsletter":
            extra.append(
                f'<div class="{rng.choice(("NewsletterBox_wrap__9f", "newsletter-inline"))}">'
                '<p>Inscrivez-vous à notre newsletter</p><form><input name="e"></form></div>'
            )
        elif item == "embed":
            extra.append(
                '<blockquote class="twitter-tweet"><p>Le tweet du jour</p></blockquote>'
                '<iframe src="https://www.youtube.com/embed/x"></iframe>'
            )
        elif item == "placeholder":
            extra.append('<div id="video-placeholder-1"><p>Contenu sponsorisé</p></div>')
    for piece in extra:
        parts.insert(middle, piece)
    if "pager" in shape.furniture:
        parts.append(
            f'<div class="{rng.choice(("pager", "sc-pgr1 x"))}"><a href="?p=1">1</a> '
            '<a href="?p=2">2</a> <a href="?p=2">Page suivante ›</a></div>'
        )
    if "vu-sur" in shape.furniture:
        parts.append("<p>Vu sur : Le Figaro</p>")
    if "author-card" in shape.furniture:
        name = truth.authors[0]
        parts.append(
            f'<div class="sc-crd9"><a href="/author/x-1">{name}</a>'
            f'<p>{name} est journaliste.</p><a href="/author/x-1">Voir la bio »</a></div>'
        )
    inner = "\n".join(parts)
    if truth.premium:
        prompt = (
            '<div class="sc-prm"><p>Cet article est réservé aux abonnés.</p>'
            '<a href="/abonnement">Je m\'abonne</a></div>'
        )
        if shape.paywall == "dpslvp":
            inner = f'<div class="dpslvp">{inner}{prompt}</div>'
        elif shape.paywall == "markup":
            inner = f'<div class="markup Paywall_container__{rng.randint(100, 999)}x">{inner}{prompt}</div>'
        elif shape.paywall == "tonos":
            inner = f"{inner}<p>Pour lire la suite, abonnez-vous.</p>"
        elif shape.paywall == "drupal":
            inner = f'{inner}<div id="paywall-placeholder"><p>Pour lire la suite de cet article, abonnez-vous.</p></div>'
    rdfa = ' property="content:encoded"' if shape.era == "B" else ""
    micro = ' itemprop="articleBody"' if shape.structured == "microdata" else ""
    return f"<div{names('body')}{rdfa}{micro}>\n{inner}\n</div>"


def render(truth: Truth, shape: Shape, url: str) -> str:
    rng = random.Random(shape.seed * 7 + 1)
    names = Names(shape, rng)
    title_sep = "<!-- -->" if shape.era in ("C", "E") else ""
    head = [f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
            f"<title>{escape(truth.headline)}{title_sep} | Atlantico.fr</title>"
            f'<link rel="canonical" href="{url}">']  # fmt: skip
    if shape.era in ("C", "D", "E") and rng.random() < 0.7:
        cut = truth.chapo[:50].rstrip() + "…" if rng.random() < 0.5 else truth.chapo
        head.append(f'<meta name="description" content="{escape(cut)}">')
        head.append(f'<meta property="og:title" content="{escape(truth.headline)}">')
    head.append(jsonld(truth, shape, url, rng))
    head.append("</head>")
    item = (
        ' itemscope itemtype="https://schema.org/NewsArticle"'
        if shape.structured == "microdata"
        else ""
    )
    md = shape.structured == "microdata"
    date_text = printed_date(truth, shape)
    iso = truth.published.isoformat()
    if shape.date_form in ("iso",):
        date_html = f'<time{names("date")} datetime="{iso}">{date_text}</time>'
    elif shape.date_form == "rdfa":
        date_html = (f'<span property="dc:date dc:created" content="{iso}" datatype="xsd:dateTime">'
                     f"{french_date(truth.published)}</span>")  # fmt: skip
    elif shape.date_form == "jsonld-only":
        date_html = (
            ""
            if shape.structured not in ("none", "microdata")
            else f'<time datetime="{iso}"></time>'
        )
    else:
        date_html = f"<span{names('date')}>{date_text}</span>"
    if md and shape.date_form in ("iso", "jsonld-only"):
        date_html += f'<meta itemprop="datePublished" content="{iso}">'
    link_authors = rng.random() < 0.5

    def person(n: str) -> str:
        inner = (
            f'<a href="/author/{n.split()[0].lower()}-{len(n)}">{escape(n)}</a>'
            if link_authors
            else escape(n)
        )
        return f'<span itemprop="author">{inner}</span>' if md else inner

    joined = " et ".join(person(n) for n in truth.authors)
    lead = rng.choice(("Par ", "avec ", "Par ")) if shape.era != "B" else "Par "
    if shape.era == "B":
        byline = f'<span{names("byline")} rel="sioc:has_creator">Par {joined}</span>'
    elif shape.era == "A":
        byline = (
            f'<span class="author">{lead}{joined}</span>'
            if shape.classes == "known"
            else f"<span>{lead}{joined}</span>"
        )
    else:
        byline = f"<p{names('byline')}>{lead}{joined}</p>"
    category = (f'<a{names("category")} href="/categorie/{truth.category.lower()}">{escape(truth.category)}</a>'
                if rng.random() < 0.6 else f"<span{names('category')}>{escape(truth.category)}</span>")  # fmt: skip
    if shape.classes in ("styled", "plain") and "<span" in category:
        category = f'<a{names("category")} href="/categorie/{truth.category.lower()}">{escape(truth.category)}</a>'
    figure = (f'<figure><img src="/img/x.jpg" alt="{escape(truth.caption)}"><figcaption>'
              f'<span{names("caption")}>{escape(truth.caption)}</span> '
              f'<span{names("credit")}>© {escape(truth.credit)}</span></figcaption></figure>')  # fmt: skip
    kicker = f"<p{names('kicker')}>{escape(truth.kicker)}</p>" if truth.kicker else ""
    h1_attrs = (' itemprop="headline"' if md else "") + (
        ' property="dc:title"' if shape.era == "B" else ""
    )
    h1 = f"<h1{h1_attrs}>{escape(truth.headline)}</h1>"
    chapo = f"<p{names('chapo')}>{escape(truth.chapo)}</p>"
    tags = (
        f"<div{names('tags')}><span>Mots-Clés</span>"
        + "".join(f'<a href="/tag/{t.lower()}">{t}</a>' for t in truth.tags)
        + "</div>"
    )
    body = body_html(truth, shape, names, rng)
    other = rng.choice(OTHER_HEADLINES)
    sidebar = (
        f'<aside class="{rng.choice(("most-read", "sc-side"))}"><h2>Les plus lus</h2><ul>'
        f'<li><a href="/article/o">{other}</a> <span>3 mars 2020</span></li></ul></aside>'
    )
    site_header = ('<header class="site-header"><a href="/">Atlantico</a>'
                   '<nav><a href="/decryptages">Décryptages</a> <a href="/pepites">Pépites</a></nav>'
                   f'<div class="{"date-du-jour" if shape.era == "A" else "sc-hd"}">'
                   f"{WEEKDAYS[NOW.weekday()]} {NOW.day} {MONTHS[NOW.month - 1].capitalize()} {NOW.year}</div></header>")  # fmt: skip
    cta = "<p>Le sujet vous intéresse ?</p>"
    notice = ("<p>En raison de débordements, nous avons fait le choix de suspendre les commentaires "
              "des articles d'Atlantico.fr.</p>")  # fmt: skip
    if shape.era == "A":
        article = (f'<div{names("article")}{item}>{category}{kicker}{h1}<div class="metas">{byline} {date_html}</div>'
                   f"{chapo}{figure}{body}{tags}</div>")  # fmt: skip
        page = f'<body><div id="page">{site_header}<div id="main">{article}</div>{sidebar}<div id="footer">{notice}</div></div></body></html>'
    elif shape.era == "B":
        article = (f'<div{names("article")} typeof="sioc:Item foaf:Document"{item}>{category}{kicker}{h1}'
                   f"<div>{byline} {date_html}</div>{chapo}{figure}{body}{tags}</div>")  # fmt: skip
        page = f'<body>{site_header}<div id="content">{article}{sidebar}</div><footer>{notice}</footer></body></html>'
    elif shape.era == "C":
        credit_line = f"<div>Crédits Photo: {escape(truth.credit)}</div>"
        figure = f'<figure><img src="/img/x.jpg" alt="{escape(truth.caption)}"><figcaption>{escape(truth.caption)}</figcaption></figure>'
        article = (f"<div{names('article')}{item}>{category}{credit_line}{figure}{kicker}{h1}{chapo}"
                   f"<div>{byline}{date_html}</div>{body}{tags}{cta}{notice}</div>")  # fmt: skip
        page = f'<body><div id="__next">{site_header}<main>{article}{sidebar}</main><footer>© Atlantico</footer></div></body></html>'
    else:
        article = (f"<article{names('article')}{item}><div>{category} {date_html if shape.date_form == 'relative' else ''}</div>"
                   f"{figure}{kicker}{h1}{chapo}{'' if shape.date_form == 'relative' else date_html}{byline}"
                   f"{body}{tags}{cta}<div>{notice}</div></article>")  # fmt: skip
        page = f'<body><div id="__next">{site_header}<main>{article}{sidebar}</main><footer><p>© Atlantico 2026</p></footer></div></body></html>'
    truth.outside = [other, "Les plus lus", "En raison de débordements"]
    return "".join(head) + page


def shapes(count: int, seed: int = 0) -> list[Shape]:
    """``count`` shapes covering every value of every axis (the first ones in turn, then at
    random)."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        era = ERAS[i % len(ERAS)]
        date_form = DATE_FORMS[(i // len(ERAS)) % len(DATE_FORMS)]
        if era == "B" and date_form == "iso":
            date_form = "rdfa"
        furniture = tuple(f for f in FURNITURE if rng.random() < 0.35)
        paywall = PAYWALLS[(i // 4) % len(PAYWALLS)] if rng.random() < 0.4 else "none"
        structured = STRUCTURED[(i // 2) % len(STRUCTURED)]
        if paywall == "tonos" and structured in ("none", "microdata"):
            structured = "flat"  # a Tonos-only page says it is premium in its JSON-LD only
        out.append(Shape(
            era=era,
            classes=CLASS_STYLES[i % len(CLASS_STYLES)] if i < 40 else rng.choice(CLASS_STYLES),
            structured=structured,
            date_form=date_form,
            body_kind=BODY_KINDS[(i // 3) % len(BODY_KINDS)] if era != "B" else rng.choice(("br", "paragraphs")),
            paywall=paywall,
            furniture=furniture,
            seed=seed * 10_000 + i,
        ))  # fmt: skip
    return out


def build(shape: Shape) -> tuple[Truth, str, str]:
    """The truth, the page's HTML and its URL for one shape."""
    rng = random.Random(shape.seed)
    truth = make_truth(rng, shape)
    if shape.era == "A":
        url = f"https://atlantico.fr/decryptage/slug-{shape.seed}.html"
    else:
        url = f"https://atlantico.fr/article/decryptage/slug-{shape.seed}"
    return truth, render(truth, shape, url), url
