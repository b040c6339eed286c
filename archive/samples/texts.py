"""The phrase bank: people, places, houses, dates and the wording of qiaopi letters.

Every text is built from the bank with a seeded `random.Random`, so a seed always gives the
same letters. Letters are written without punctuation, as most qiaopi were.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

_DIGITS = "〇一二三四五六七八九"
_FORMAL_DIGITS = "〇壹貳參肆伍陸柒捌玖"


def zh_number(value: int, *, formal: bool = False) -> str:
    """Write 1–9999 in Chinese numerals (formal 大寫 digits for remittance slips)."""
    if not 0 < value < 10000:
        raise ValueError(f"zh_number takes 1..9999, got {value}")
    digits = _FORMAL_DIGITS if formal else _DIGITS
    units = ("仟", "佰", "拾", "") if formal else ("千", "百", "十", "")
    text = ""
    zero_pending = False
    for position, unit in zip((1000, 100, 10, 1), units, strict=True):
        digit = value // position % 10
        if digit == 0:
            zero_pending = bool(text)
            continue
        if zero_pending:
            text += "零"
            zero_pending = False
        text += digits[digit] + unit
    if not formal and text.startswith("一十"):
        text = text[1:]
    return text


def roc_year(year: int) -> str:
    """A Republic-era year as letter writers wrote it: 十八, 廿一, 卅二."""
    tens, ones = divmod(year, 10)
    prefix = {1: "十", 2: "廿", 3: "卅"}[tens]
    if ones == 0:
        return {1: "十", 2: "二十", 3: "三十"}[tens]
    return prefix + _DIGITS[ones]


def lunar_day(day: int) -> str:
    """A day of the month as written in letters: 初五, 十二, 廿三."""
    if day <= 10:
        return "初" + ("十" if day == 10 else _DIGITS[day])
    if day < 20:
        return "十" + _DIGITS[day - 10]
    if day == 20:
        return "二十"
    if day < 30:
        return "廿" + _DIGITS[day - 20]
    return "三十"


@dataclass(frozen=True)
class Date:
    """A Republic-era date; `text` is how it is written, `gregorian_year` for identifiers."""

    roc_year: int
    month: int
    day: int

    @property
    def text(self) -> str:
        month = "正" if self.month == 1 else zh_number(self.month)
        return f"民國{roc_year(self.roc_year)}年{month}月{lunar_day(self.day)}日"

    @property
    def gregorian_year(self) -> int:
        return 1911 + self.roc_year


@dataclass(frozen=True)
class Person:
    """A person with a Chinese name and its Toishanese/Cantonese romanisation."""

    surname: str
    given: str
    roman: str

    @property
    def name(self) -> str:
        return self.surname + self.given


@dataclass(frozen=True)
class Abroad:
    """Where the sender lived overseas: the name letters used, the city and its streets."""

    zh: str
    city_en: str
    streets: tuple[str, ...]


@dataclass(frozen=True)
class County:
    """A home county of the Wuyi, its towns and villages, and its letters' collection."""

    zh: str
    en: str
    collection: str
    towns: tuple[str, ...]
    villages: tuple[str, ...]


@dataclass(frozen=True)
class House:
    """A remittance house (批局 / 銀號 / 金山莊) in Chinese and English."""

    zh: str
    en: str

    @property
    def short(self) -> str:
        """The house's name without 銀號 / 金山莊 / 銀信局, as cut on its seal."""
        for suffix in ("金山莊", "銀信局", "銀號"):
            if self.zh.endswith(suffix):
                return self.zh[: -len(suffix)]
        return self.zh


@dataclass(frozen=True)
class Relation:
    """How the sender addresses the recipient, signs, and how the catalogue describes it."""

    key: str
    en: str
    zh: str
    greeting: str
    signature: str
    reply_opening: str
    reply_signature: str


SURNAMES = {
    "黃": "Wong",
    "李": "Lee",
    "陳": "Chan",
    "伍": "Ng",
    "甄": "Yan",
    "劉": "Lau",
    "梅": "Moy",
    "譚": "Tom",
    "關": "Kwan",
    "余": "Yee",
    "雷": "Louie",
    "朱": "Chu",
    "司徒": "Seto",
}
GIVEN_SYLLABLES = {
    "國": "Kwok",
    "興": "Hing",
    "錦": "Kam",
    "堂": "Tong",
    "維": "Wai",
    "新": "Sun",
    "燦": "Chan",
    "榮": "Wing",
    "德": "Tak",
    "明": "Ming",
    "耀": "Yiu",
    "祖": "Cho",
    "炳": "Ping",
    "坤": "Kwan",
    "家": "Ka",
    "卓": "Cheuk",
    "文": "Man",
    "昌": "Cheong",
    "樹": "Shue",
    "棠": "Tong",
    "光": "Kwong",
    "富": "Foo",
    "順": "Shun",
    "廣": "Kwong",
}
MAIDEN_SURNAMES = ("李", "陳", "伍", "梅", "關", "余", "劉", "譚")

ABROAD = (
    Abroad("舊金山", "San Francisco, Cal. U.S.A.", ("Grant Ave", "Stockton St", "Washington St")),
    Abroad("金山", "San Francisco, Cal. U.S.A.", ("Sacramento St", "Jackson St", "Clay St")),
    Abroad("紐約", "New York, N.Y. U.S.A.", ("Mott St", "Pell St", "Doyers St")),
    Abroad("域多利", "Victoria, B.C. Canada", ("Cormorant St", "Fisgard St", "Government St")),
    Abroad("雲高華", "Vancouver, B.C. Canada", ("Pender St", "Main St", "Carrall St")),
    Abroad("雪梨", "Sydney, N.S.W. Australia", ("Dixon St", "Campbell St", "Hay St")),
    Abroad("檀香山", "Honolulu, T.H. U.S.A.", ("Maunakea St", "King St", "Hotel St")),
)

COUNTIES = (
    County(
        "台山縣",
        "Toishan",
        "Taishan Letters 台山僑批",
        ("端芬墟", "斗山墟", "白沙墟", "公益埠", "四九墟"),
        ("上澤村", "龍安里", "東坑村", "西寧里", "福田村", "南昌村"),
    ),
    County(
        "開平縣",
        "Hoiping",
        "Kaiping Letters 開平僑批",
        ("赤坎墟", "百合墟", "塘口墟", "蜆岡墟"),
        ("自力村", "錦江里", "馬降龍村", "三門里", "永安村"),
    ),
    County(
        "新會縣",
        "Sunwui",
        "Xinhui Letters 新會僑批",
        ("會城", "荷塘墟", "司前墟"),
        ("茶坑村", "篁莊村", "石頭里"),
    ),
)

HOUSES = (
    House("和益銀號", "Wo Yick Bank"),
    House("廣泰來金山莊", "Kwong Tai Loy Gold Mountain Firm"),
    House("昌記銀號", "Cheong Kee Bank"),
    House("同安銀號", "Tung On Bank"),
    House("萬昌隆", "Man Cheong Lung"),
    House("永生銀信局", "Wing Sang Remittance Office"),
)

CURRENCIES = {
    "港銀": "HK dollars",
    "美金": "US dollars",
    "國幣": "national dollars",
    "大洋": "silver dollars",
}
AMOUNTS = (20, 30, 40, 50, 60, 80, 100, 120, 150, 200, 250, 300)

RELATIONS = (
    Relation(
        "father", "father", "父親", "父親大人膝下敬稟者", "兒{given}稟", "{given}吾兒知悉", "父字"
    ),
    Relation(
        "mother", "mother", "母親", "母親大人尊前敬稟者", "兒{given}稟", "字諭{given}兒知悉", "母字"
    ),
    Relation(
        "wife", "wife", "妻子", "賢妻妝次啟者", "夫{given}字", "夫君{given}如見", "妻{maiden}氏字"
    ),
    Relation(
        "brother",
        "elder brother",
        "兄長",
        "兄長大人台鑒敬啟者",
        "弟{given}上",
        "{given}賢弟知悉",
        "兄字",
    ),
)

OPENINGS = (
    "久未通函時深懸念",
    "前月接到家書一封內情均悉",
    "自別家鄉轉瞬又是兩載",
    "遙維福體安康闔家清吉為頌",
    "日前由{house}寄上一函諒已收到",
)
NEWS = (
    "兒在{abroad}身體粗安工作如常請勿掛念",
    "近來此地生意淡薄工錢減少",
    "今年埠中華人失業者甚眾",
    "兒現在洗衣館做工每日辛勤",
    "兒與同鄉數人合夥開一小店",
    "聞說家鄉米價騰貴生活艱難",
    "此處天氣寒冷兒已添置冬衣",
    "同村叔伯在此均各平安",
)
REMITTANCES = (
    "茲由{house}付上{currency}{amount}元到祈查收",
    "今付上{currency}{amount}元交{house}匯回家用",
    "隨信附上{currency}{amount}元以作家中使用",
)
ALLOCATIONS = (
    "內撥{part}元為弟妹讀書之費",
    "內撥{part}元與祖母作零用",
    "內撥{part}元還清舊債",
)
INSTRUCTIONS = (
    "弟妹須勤讀書不可荒廢學業",
    "家中田地宜僱人耕種",
    "屋宇如有漏壞須早修理",
    "鄉間盜賊甚多夜間切要小心門戶",
    "兒媳須孝順翁姑和睦鄰里",
    "收到銀信後即回批示知以慰遠念",
    "碉樓之事俟明年再議",
)
CLOSINGS = ("餘容後稟專此敬請", "草此奉聞順候")
WISHES = ("福安", "金安", "近安")

REPLY_BODY = (
    "接來函並{currency}{amount}元經已收妥",
    "家中大小平安勿念",
    "今年禾稻收成尚好",
    "汝在外須保重身體勿貪嬉戲",
    "積得些少銀両早日回鄉",
    "汝弟已入學讀書甚是勤力",
)

HERITAGE = (
    ("瑞石樓遠景", "Ruishi Lou watchtower, distant view", "tower"),
    ("自力村碉樓", "Watchtower in Zili village", "tower"),
    ("金山箱", "Gold Mountain trunk", "trunk"),
    ("碉樓火水燈", "Kerosene lamp from a watchtower", "lamp"),
    ("碉樓鐵門", "Iron door of a watchtower", "door"),
)


def person(rng: random.Random, surname: str | None = None) -> Person:
    """A random man's name with its romanisation (surname kept when given)."""
    family = surname if surname is not None else rng.choice(sorted(SURNAMES))
    syllables = rng.sample(sorted(GIVEN_SYLLABLES), 2)
    roman = " ".join([SURNAMES[family], *(GIVEN_SYLLABLES[s] for s in syllables)])
    return Person(family, "".join(syllables), roman)


@dataclass(frozen=True)
class Story:
    """Everything one qiaopi set says: who wrote to whom, from where, how much, when."""

    sender: Person
    relation: Relation
    relative: Person
    maiden: str
    county: County
    town: str
    village: str
    abroad: Abroad
    street: str
    house: House
    currency: str
    amount: int
    date: Date
    reply_date: Date
    slip_number: int

    @property
    def recipient(self) -> str:
        """The recipient's name as catalogued."""
        if self.relation.key in ("mother", "wife"):
            return f"{self.sender.surname}門{self.maiden}氏"
        return self.relative.name

    @property
    def receiving_place(self) -> str:
        return f"{self.county.zh}{self.town}{self.village}"

    @property
    def amount_text(self) -> str:
        return zh_number(self.amount) + "元"

    @property
    def english_address(self) -> tuple[str, ...]:
        """The sender's overseas address as typed on the envelope, line by line."""
        return (f"Mr. {self.sender.roman},", f"{self.street},", self.abroad.city_en)

    def fill(self, template: str) -> str:
        """Fill a phrase-bank template with this story's names, places and amounts."""
        return template.format(
            house=self.house.zh,
            abroad=self.abroad.zh,
            currency=self.currency,
            amount=zh_number(self.amount),
            given=self.sender.given,
            maiden=self.maiden,
            part=zh_number(max(10, self.amount // 5 // 10 * 10)),
        )


def story(rng: random.Random) -> Story:
    """A random but coherent qiaopi story."""
    sender = person(rng)
    relation = rng.choice(RELATIONS)
    county = rng.choice(COUNTIES)
    abroad = rng.choice(ABROAD)
    roc = rng.randint(18, 37)
    month, day = rng.randint(1, 12), rng.randint(1, 30)
    return Story(
        sender=sender,
        relation=relation,
        relative=person(rng, sender.surname),
        maiden=rng.choice(MAIDEN_SURNAMES),
        county=county,
        town=rng.choice(county.towns),
        village=rng.choice(county.villages),
        abroad=abroad,
        street=f"{rng.randint(3, 1280)} {rng.choice(abroad.streets)}",
        house=rng.choice(HOUSES),
        currency=rng.choice(sorted(CURRENCIES)),
        amount=rng.choice(AMOUNTS),
        date=Date(roc, month, day),
        reply_date=Date(roc + month // 12, month % 12 + 1, rng.randint(1, 30)),
        slip_number=rng.randint(101, 9999),
    )


def letter_paragraphs(rng: random.Random, s: Story, length: int) -> list[str]:
    """The paragraphs of a letter (each starts a new column); `length` scales the body."""
    paragraphs = [s.relation.greeting]
    paragraphs.append("".join(s.fill(t) for t in rng.sample(OPENINGS, 2)))
    paragraphs.append("".join(s.fill(t) for t in rng.sample(NEWS, min(length + 1, len(NEWS)))))
    remittance = s.fill(rng.choice(REMITTANCES))
    if rng.random() < 0.6:
        remittance += s.fill(rng.choice(ALLOCATIONS))
    paragraphs.append(remittance)
    count = min(length + 1, len(INSTRUCTIONS))
    paragraphs.append("".join(s.fill(t) for t in rng.sample(INSTRUCTIONS, count)))
    paragraphs.append(rng.choice(CLOSINGS))
    paragraphs.append(rng.choice(WISHES))
    paragraphs.append(s.fill(s.relation.signature))
    paragraphs.append(s.date.text)
    return paragraphs


def reply_paragraphs(rng: random.Random, s: Story) -> list[str]:
    """The paragraphs of the family's reply (回批) acknowledging the remittance."""
    opening = s.fill(s.relation.reply_opening)
    body = "".join(s.fill(t) for t in (REPLY_BODY[0], *rng.sample(REPLY_BODY[1:], 3)))
    return [opening, body, s.fill(s.relation.reply_signature), s.reply_date.text]
