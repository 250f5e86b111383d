"""Small word lists that tell what kind of thing a capitalised name is.

Derive needs to know a person from an organisation from a place without a statistical model, so it
reads the words around a name: a role before it ("Foreign Minister Wang Yi"), an organisation word
at its end ("Sejong Institute"), a place it knows ("Japan", "Seoul"). The country table also says
which names stand for the same country ("the US", "America", "Washington"), so that a distractor is
never the answer under another name. The lists are short on purpose: a name they do not know is
typed from its context, and an untyped name is simply not used for distractors.
"""

from __future__ import annotations

# Country | other names and acronyms | capital | adjective. The capital is listed because
# articles use it for the government ("Seoul said"), so it is the country under another name.
_COUNTRIES = """
United States|US,U.S.,USA,U.S.A.,America,United States of America|Washington|American
China|PRC,People's Republic of China,Mainland China|Beijing|Chinese
South Korea|ROK,Republic of Korea,Korea|Seoul|South Korean
North Korea|DPRK,Democratic People's Republic of Korea|Pyongyang|North Korean
Japan||Tokyo|Japanese
Russia|Russian Federation|Moscow|Russian
Taiwan|Republic of China,ROC|Taipei|Taiwanese
India||New Delhi|Indian
Australia||Canberra|Australian
United Kingdom|UK,U.K.,Britain,Great Britain|London|British
France||Paris|French
Germany||Berlin|German
Italy||Rome|Italian
Spain||Madrid|Spanish
Canada||Ottawa|Canadian
Mexico||Mexico City|Mexican
Brazil||Brasilia|Brazilian
Argentina||Buenos Aires|Argentine
Ukraine||Kyiv|Ukrainian
Poland||Warsaw|Polish
Turkey|Turkiye|Ankara|Turkish
Iran||Tehran|Iranian
Iraq||Baghdad|Iraqi
Israel||Jerusalem|Israeli
Saudi Arabia||Riyadh|Saudi
Egypt||Cairo|Egyptian
Pakistan||Islamabad|Pakistani
Afghanistan||Kabul|Afghan
Indonesia||Jakarta|Indonesian
Vietnam|Viet Nam|Hanoi|Vietnamese
Thailand||Bangkok|Thai
Philippines|the Philippines|Manila|Filipino
Malaysia||Kuala Lumpur|Malaysian
Singapore|||Singaporean
Mongolia||Ulaanbaatar|Mongolian
Myanmar|Burma|Naypyidaw|Burmese
Cambodia||Phnom Penh|Cambodian
Laos||Vientiane|Lao
Bangladesh||Dhaka|Bangladeshi
Sri Lanka||Colombo|Sri Lankan
Nepal||Kathmandu|Nepalese
Kazakhstan||Astana|Kazakh
New Zealand||Wellington|New Zealander
South Africa||Pretoria|South African
Nigeria||Abuja|Nigerian
Kenya||Nairobi|Kenyan
Ethiopia||Addis Ababa|Ethiopian
Netherlands|Holland,the Netherlands|Amsterdam|Dutch
Belgium||Brussels|Belgian
Sweden||Stockholm|Swedish
Norway||Oslo|Norwegian
Finland||Helsinki|Finnish
Denmark||Copenhagen|Danish
Switzerland||Bern|Swiss
Austria||Vienna|Austrian
Greece||Athens|Greek
Portugal||Lisbon|Portuguese
Ireland||Dublin|Irish
Syria||Damascus|Syrian
Cuba||Havana|Cuban
Venezuela||Caracas|Venezuelan
Chile||Santiago|Chilean
Colombia||Bogota|Colombian
Peru||Lima|Peruvian
"""

# Places that are not countries: their kind is "region" or "city".
REGIONS = frozenset(
    name.replace("_", " ")
    for name in """Asia Europe Africa Oceania Antarctica Arctic Pacific Atlantic Eurasia
    Indo-Pacific Northeast_Asia East_Asia Southeast_Asia South_Asia Central_Asia West_Asia
    Middle_East Far_East North_America South_America Latin_America Western_Europe Eastern_Europe
    Korean_Peninsula South_China_Sea East_China_Sea Yellow_Sea Sea_of_Japan Taiwan_Strait Balkans
    Caucasus Hong_Kong Macau Tibet Xinjiang Crimea Donbas Kashmir Gaza West_Bank Siberia
    Manchuria Okinawa Hokkaido Jeju""".split()
)

CITIES = frozenset(
    name.replace("_", " ")
    for name in """New_York Los_Angeles San_Francisco Chicago Boston Annapolis Honolulu Shanghai
    Shenzhen Guangzhou Hangzhou Nanjing Wuhan Chengdu Chongqing Tianjin Xiamen Harbin Dalian
    Shenyang Dandong Qingdao Busan Incheon Daegu Gwangju Panmunjom Kaesong Osaka Kyoto Hiroshima
    Nagasaki Yokohama Vladivostok Saint_Petersburg Geneva Davos Hague Munich Hamburg Frankfurt
    Milan Barcelona Istanbul Dubai Mumbai Kolkata Karachi Lahore Sydney Melbourne Toronto
    Vancouver Montreal Singapore Hong_Kong""".split()
)

# Words that end an organisation's name.
ORG_TAIL = frozenset(
    """University Institute Institution Council Ministry Department Agency Committee Commission
    Bank Fund Times Post Herald Ilbo Journal News Daily Tribune Gazette Telegraph Guardian Review
    Outlook Dialogue Initiative Framework Center Centre Academy Association Organization
    Organisation Union Party Forum Group Foundation Office Administration Government Parliament
    Congress Assembly House Navy Army Corps Force Forces Command Corporation Company Inc Ltd
    Studies Sciences Affairs Research Service Services Network Alliance League Federation Bureau
    Court Tribunal Museum College School Society Secretariat Summit Treaty Pact Agreement
    Conference Network Broadcasting Agency Press Media Weekly Magazine Review Foundation Trust
    Partnership Program Programme Project Organization Cabinet Senate Parliament Club""".split()
)
# Sorts of organisation, by a word of their name: a distractor for a university is a university.
ORG_SORTS = {
    "academic": "University Institute Institution College Academy School Center Centre Studies "
    "Sciences Research Foundation Society",
    "media": "Times Post Herald Ilbo Journal News Daily Tribune Gazette Telegraph Guardian Review "
    "Outlook Broadcasting Press Media Weekly Magazine",
    "government": "Council Ministry Department Agency Committee Commission Administration "
    "Government Parliament Congress Assembly House Navy Army Corps Force Forces Command Bureau "
    "Court Tribunal Secretariat Cabinet Senate Office",
    "arrangement": "Dialogue Initiative Framework Treaty Pact Agreement Partnership Program "
    "Programme Project Summit Conference Alliance",
}
_SORT_BY_WORD = {w: sort for sort, words in ORG_SORTS.items() for w in words.split()}


def organisation_sort(words: list[str]) -> str:
    """The sort of an organisation from the last word of its name that tells one."""
    for w in reversed(words):
        if w in _SORT_BY_WORD:
            return _SORT_BY_WORD[w]
    return "organisation"


# Words after which "of", "for" or "on" continues an organisation's name ("Academy of Sciences").
ORG_HEAD = frozenset(
    """University Institute Institution Council Ministry Department Academy Association Bank
    Center Centre Committee Commission Office School College Bureau Court Museum Federation
    Organization Organisation Union League Society Secretary Republic Kingdom Fund Conference
    Treaty""".split()
)

# Titles and roles that come before a person's name ("Foreign Minister Chung Eui-yong").
ROLE_WORDS = frozenset(
    """president presidents president-elect minister ministers premier chancellor secretary
    ambassador envoy adviser advisor advisers spokesman spokeswoman spokesperson leader leaders
    chairman chairwoman chair governor senator general admiral mayor king queen prince princess
    emperor professor dr dr. mr mr. mrs mrs. ms ms. director chief deputy counterpart scholar
    fellow researcher analyst editor correspondent journalist author commentator official
    diplomat lawmaker representative rep. sen. gov. pope judge justice commander colonel captain
    lieutenant sergeant vice ceo founder chairperson economist historian expert fm""".split()
)
# Words after a name that make it a person ("the Biden administration", "Lankov said").
GOVERNMENT_WORDS = frozenset("administration government leadership regime presidency era".split())
AFTER_PERSON = GOVERNMENT_WORDS | frozenset(
    """cabinet said says noted
    stated stressed added wrote told argued explained emphasized emphasised warned claimed
    suggested believes believed pointed mentioned announced insisted urged asked replied
    recalled""".split()
)
# Words before a name that make it a person ("said Chung", "according to Suh Hoon").
BEFORE_PERSON = frozenset("said says told by".split())

# Prefixes that make a compound adjective of a place name ("Sino-US", "Indo-Pacific").
COMPOUND_PREFIXES = frozenset(
    "sino indo afro euro anglo franco russo anti pro non inter pan trans post pre neo".split()
)

MONTHS = (
    "January February March April May June July August September October November December"
).split()

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "dozen": 12,
}  # fmt: skip
ORDINAL_WORDS = {
    "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}  # fmt: skip
# Units after a number that belong in the deletion: "eight months" is the fact, not "eight".
TIME_UNITS = frozenset(
    "seconds minutes hours days weeks months years decades centuries".split()
    + "second minute hour day week month year decade century".split()
)


class Country:
    """One row of the country table."""

    __slots__ = ("name", "names", "adjective")

    def __init__(self, name: str, names: frozenset[str], adjective: str) -> None:
        self.name = name
        self.names = names
        self.adjective = adjective


def _countries() -> tuple[Country, ...]:
    rows = []
    for line in _COUNTRIES.strip().splitlines():
        name, others, capital, adjective = line.split("|")
        names = {name, *(o for o in others.split(",") if o)}
        if capital:
            names.add(capital)
        rows.append(Country(name, frozenset(names), adjective))
    return tuple(rows)


COUNTRIES = _countries()
# Every name of a country (or its capital), folded, to the country's row.
COUNTRY_BY_NAME = {n.casefold(): c for c in COUNTRIES for n in c.names}
CAPITALS = frozenset(
    line.split("|")[2] for line in _COUNTRIES.strip().splitlines() if line.split("|")[2]
)
ADJECTIVES = frozenset(
    {c.adjective for c in COUNTRIES}
    | {"Korean", "Asian", "European", "African", "Western", "Eastern", "Soviet", "Arab"}
)


def same_place(a: str, b: str) -> bool:
    """Whether two names stand for the same country (its name, an acronym or its capital)."""
    ca, cb = COUNTRY_BY_NAME.get(a.casefold()), COUNTRY_BY_NAME.get(b.casefold())
    return ca is not None and ca is cb
