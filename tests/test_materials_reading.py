"""Reading the material a question names (issue 14): the names in the series descriptions in
English and Chinese, the head-final rule for compound names, two materials never reduced to
one, a mistyped name named back with a suggestion, and partners and periods left alone (a
two-letter material word never shadows a partner code)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.conversation import Asked, Asking, NoData, ask_about
from bot.data.dataset import COMTRADE_SERIES, CUSTOMS_SERIES
from bot.data.series import Catalog, project_catalog
from bot.datastore import Snapshot
from bot.lookup import Lookup, MonthAnswer, NoFigure, NoSeries, SpanAnswer
from bot.reading.materials import MaterialNames, read_materials
from bot.reading.periods import Period
from bot.render.format import sourced_tonnes
from bot.series_choice import (
    AllMaterials,
    MaterialTypo,
    TwoMaterials,
    choose,
    material_names,
    series_word,
)
from tests.conftest import TODAY

CATALOG = project_catalog()
NAMES = material_names(CATALOG)
MAGNETS = CUSTOMS_SERIES

# (text, the series named in order, the text left for the partner and period grammar)
READINGS = [
    ("gallium DE 2024-08", ("gallium",), "DE 2024-08"),
    ("germanium 2025", ("germanium",), "2025"),
    ("rare earths", ("rare_earths",), ""),
    ("rare-earths DE", ("rare_earths",), "DE"),
    ("Rare Earth", ("rare_earths",), ""),
    ("antimony 2025-06", ("antimony",), "2025-06"),
    (
        "how much gallium went to Germany in August 2024?",
        ("gallium",),
        "how much went to Germany in August 2024?",
    ),
    ("tungsten 2024", ("tungsten",), "2024"),
    ("APT Japan", ("tungsten",), "Japan"),
    ("spherical graphite KR", ("graphite",), "KR"),
    ("dysprosium KR 2025-10", ("dysprosium",), "KR 2025-10"),
    ("Terbium US", ("terbium",), "US"),
    # head-final: in a run of material words the last one names the series
    ("rare earth magnets US", (MAGNETS,), "US"),
    ("rare-earth permanent magnets to US", (MAGNETS,), "to US"),
    ("rare earths magnets", (MAGNETS,), ""),
    ("rare earth dysprosium japan", ("dysprosium",), "japan"),
    ("magnets", (MAGNETS,), ""),
    ("NdFeB DE", (MAGNETS,), "DE"),
    # Chinese: matched as words, with or without spaces
    ("镓 德国 2024年8月", ("gallium",), "德国 2024年8月"),
    ("德国镓出口", ("gallium",), "德国 出口"),
    ("锗 2025年", ("germanium",), "2025年"),
    ("锑", ("antimony",), ""),
    ("石墨 韩国", ("graphite",), "韩国"),
    ("钨 日本", ("tungsten",), "日本"),
    ("镝 韩国", ("dysprosium",), "韩国"),
    ("铽 美国", ("terbium",), "美国"),
    ("稀土出口 10月", ("rare_earths",), "10月"),
    ("稀土 10月", ("rare_earths",), "10月"),
    ("中国稀土出口", ("rare_earths",), "中国"),
    ("稀土磁铁 美国", (MAGNETS,), "美国"),
    ("稀土磁体 美国", (MAGNETS,), "美国"),
    ("稀土永磁体出口到德国", (MAGNETS,), "出口到德国"),
    ("稀土 磁铁", (MAGNETS,), ""),
    # two materials: both named, none picked
    ("gallium and germanium to Germany", ("gallium", "germanium"), "and to Germany"),
    ("gallium germanium DE", ("gallium", "germanium"), "DE"),
    ("镓和锗", ("gallium", "germanium"), "和"),
    ("rare earths, gallium", ("rare_earths", "gallium"), ","),
    # "rare earth" modifies only the names it begins: here it is a material of its own
    ("rare earths gallium", ("rare_earths", "gallium"), ""),
    ("稀土 镓 2025-10", ("rare_earths", "gallium"), "2025-10"),
    ("rare earth magnets gallium", (MAGNETS, "gallium"), ""),
    # partners and periods are never materials
    ("GE 2025", (), "GE 2025"),
    ("Germany", (), "Germany"),
    ("germany 2025-06", (), "germany 2025-06"),
    ("Germny", (), "Germny"),
    ("comtrade US 2025-06", (COMTRADE_SERIES,), "US 2025-06"),
    ("hs850511 US", (COMTRADE_SERIES,), "US"),
    ("magnetic US", (), "magnetic US"),
]


@pytest.mark.parametrize(("text", "keys", "rest"), READINGS, ids=[r[0] for r in READINGS])
def test_the_material_words_are_read_and_taken_out(
    text: str, keys: tuple[str, ...], rest: str
) -> None:
    found = read_materials(text, NAMES)
    assert found.keys == keys and found.rest == rest


def test_every_name_in_the_descriptions_names_its_series() -> None:
    for name, info in CATALOG.names().items():
        if "(" in name or "（" in name or " hs " in f" {name} ":
            continue  # "tungsten (APT)" is read as tungsten and APT, both tungsten
        found = read_materials(name, NAMES)
        assert found.keys == (info.key,), name


def test_each_series_word_reads_back_as_its_series() -> None:
    """The word the answers' commands use (/exports rare-earths) names the series."""
    for info in CATALOG.series:
        word = series_word(info.key)
        if info.key == MAGNETS:
            assert word == ""
            continue
        assert read_materials(f"{word} DE 2025-10", NAMES).keys == (info.key,)


#: Chemical symbols make plausible material words, and most are partner codes too.
SYMBOLS = MaterialNames(
    (
        *NAMES.names,
        ("ge", "germanium"),
        ("ga", "gallium"),
        ("sb", "antimony"),
        ("in", "x"),
        ("zq", "antimony"),
    )
)


@pytest.mark.parametrize("code", ["GE", "ge", "GA", "ga", "SB", "IN", "in"])
def test_a_two_letter_material_word_never_shadows_a_partner_code(code: str) -> None:
    """A partner code or name always wins: GE is Georgia, GA Gabon, SB the Solomon Islands,
    IN India, whatever words a series description adds."""
    found = read_materials(f"{code} 2025-06", SYMBOLS)
    assert found.keys == () and found.rest == f"{code} 2025-06"


def test_a_two_letter_material_word_that_is_no_partner_is_read() -> None:
    assert read_materials("zq 2025-06", SYMBOLS).keys == ("antimony",)  # no country is ZQ


def test_all_reads_only_where_it_asks_for_every_material() -> None:
    leading = read_materials("all DE 2025-10", NAMES, leading_all=True)
    assert leading.everything and leading.rest == "DE 2025-10"
    assert not read_materials("all DE 2025-10", NAMES).everything  # /csv all: all partners
    assert read_materials("all materials to Japan", NAMES).everything
    assert read_materials("所有材料 日本", NAMES).everything
    assert read_materials("全部 日本", NAMES, leading_all=True).everything
    assert not read_materials("show me all exports to Japan", NAMES, leading_all=True).everything


@pytest.mark.parametrize(
    ("text", "word", "meant", "countries"),
    [
        ("galium DE", "galium", "gallium", ()),
        ("germnium 2025", "germnium", "germanium", ()),
        ("germanum", "germanum", "germanium", ("DE",)),
        ("antimoney NL", "antimoney", "antimony", ()),
        ("tungstn", "tungstn", "tungsten", ()),
        ("dysprosim KR", "dysprosim", "dysprosium", ()),
        ("terbum US 2025-10", "terbum", "terbium", ()),
        ("graphit", "graphit", "graphite", ()),
    ],
)
def test_a_mistyped_material_is_named_with_a_suggestion(
    text: str, word: str, meant: str, countries: tuple[str, ...]
) -> None:
    choice = choose(CATALOG, text)
    assert choice.series is None
    typo = choice.problem
    assert isinstance(typo, MaterialTypo)
    assert typo.word == word and typo.suggestion.key == meant
    assert typo.corrected.split()[0] == meant and word not in typo.corrected.split()
    assert tuple(p.code for p in typo.partners) == countries


@pytest.mark.parametrize("text", ["Germny", "germany", "GE", "Georgia", "kg", "fortnight", "US"])
def test_a_partner_or_its_near_miss_is_no_material_typo(text: str) -> None:
    assert choose(CATALOG, text).problem is None


# -- whole questions -----------------------------------------------------------------------


@pytest.fixture
def lookups(snapshot: Snapshot) -> Callable[[str], Lookup]:
    made: dict[str, Lookup] = {}

    def lookup(series: str) -> Lookup:
        if series not in made:
            made[series] = Lookup(snapshot, lambda: TODAY, series)
        return made[series]

    return lookup


def asked(
    lookups: Callable[[str], Lookup],
    text: str,
    previous: Asked | None = None,
    catalog: Catalog = CATALOG,
) -> Asking:
    return ask_about(lookups, catalog, text, previous=previous, plain=True)


# (question, series, partner code, period, the quantity as answers show it, with its unit)
QUESTIONS = [
    ("how much gallium went to Germany in October 2025?", "gallium", "DE", "2025-10", "10,000 kg"),
    ("gallium DE 2025-10", "gallium", "DE", "2025-10", "10,000 kg"),
    ("镓 德国 2025年10月", "gallium", "DE", "2025-10", "10,000 kg"),
    ("2025年10月德国的镓", "gallium", "DE", "2025-10", "10,000 kg"),
    ("germanium exports to Russia in October 2025", "germanium", "RU", "2025-10", "930 kg"),
    ("锗 俄罗斯 2025年10月", "germanium", "RU", "2025-10", "930 kg"),
    ("稀土出口 10月", "rare_earths", "WORLD", "2025-10", "4,343.5 t"),
    ("rare earths October 2025", "rare_earths", "WORLD", "2025-10", "4,343.5 t"),
    ("antimony September 2024", "antimony", "WORLD", "2024-09", "6,533 t"),
    ("锑 2024年9月", "antimony", "WORLD", "2024-09", "6,533 t"),
    ("antimony to the Netherlands in 2024", "antimony", "NL", "2024", "1,016.7 t"),
    ("dysprosium South Korea October 2025", "dysprosium", "KR", "2025-10", "2,701 kg"),
    ("镝 韩国 2025年10月", "dysprosium", "KR", "2025-10", "2,701 kg"),
    ("terbium US 2025-10", "terbium", "US", "2025-10", "6,000 kg"),
    ("铽 日本 2025年10月", "terbium", "JP", "2025-10", "5,200 kg"),
    ("tungsten 2024", "tungsten", "WORLD", "2024", "782 t"),
    ("钨 日本", "tungsten", "JP", "2025-YTD11", "138 t"),
    ("spherical graphite Korea November 2023", "graphite", "KR", "2023-11", "8,830 t"),
    ("石墨 韩国 2023年11月", "graphite", "KR", "2023-11", "8,830 t"),
    ("rare earth magnets to the US in June 2025", MAGNETS, "US", "2025-06", "353 t"),
    ("稀土磁铁 美国 2025年6月", MAGNETS, "US", "2025-06", "353 t"),
    ("US June 2025", MAGNETS, "US", "2025-06", "353 t"),
]


@pytest.mark.parametrize(
    ("text", "series", "code", "period", "figure"), QUESTIONS, ids=[q[0] for q in QUESTIONS]
)
def test_questions_in_english_and_chinese_answer_from_the_material_named(
    lookups: Callable[[str], Lookup],
    text: str,
    series: str,
    code: str,
    period: str,
    figure: str,
) -> None:
    answer = asked(lookups, text)
    found = answer.reply.answer
    assert answer.lookup.series == series
    assert isinstance(found, MonthAnswer | SpanAnswer), found
    assert found.series == series and found.partner.code == code
    assert found.metrics.period == Period.parse_code(period)
    value = found.metrics.tonnes if isinstance(found, MonthAnswer) else found.metrics.total.value
    assert value is not None and sourced_tonnes(value) == figure
    assert answer.reply.asked is not None and answer.reply.asked.series == series


def test_a_partner_question_on_a_total_only_month_says_only_the_total_is_given(
    lookups: Callable[[str], Lookup],
) -> None:
    for text in ("how much gallium went to Germany in August 2024?", "镓 德国 2024年8月"):
        found = asked(lookups, text).reply.answer
        assert isinstance(found, NoFigure) and found.total and found.series == "gallium"


def test_two_materials_get_an_answer_naming_both(lookups: Callable[[str], Lookup]) -> None:
    for text in ("gallium and germanium to Germany", "镓和锗 德国", "gallium germanium DE"):
        found = asked(lookups, text).reply.answer
        assert isinstance(found, TwoMaterials)
        assert [i.key for i in found.named] == ["gallium", "germanium"]
        assert found.partner == "DE"


def test_all_materials_in_a_plain_question(lookups: Callable[[str], Lookup]) -> None:
    found = asked(lookups, "all materials to Japan in October 2025").reply.answer
    assert isinstance(found, AllMaterials) and found.partner.code == "JP"
    assert found.period == Period.month(2025, 10)
    keys = [row.info.key for row in found.rows]
    assert keys == [info.key for info in CATALOG.materials] and COMTRADE_SERIES not in keys


def test_follow_ups_keep_the_material(lookups: Callable[[str], Lookup]) -> None:
    first = asked(lookups, "gallium DE 2025-10")
    assert first.reply.asked == Asked("exports", ("DE",), Period.month(2025, 10), "gallium")
    follow = asked(lookups, "and Japan?", first.reply.asked)
    found = follow.reply.answer
    assert isinstance(found, MonthAnswer) and found.series == "gallium"
    assert found.partner.code == "JP" and found.metrics.tonnes is not None
    assert found.metrics.tonnes.value == 5000
    assert "gallium, as your last question" in map(str, follow.reply.heard.notes)
    chinese = asked(lookups, "那日本呢", first.reply.asked).reply.answer
    assert isinstance(chinese, MonthAnswer) and chinese.series == "gallium"
    before = asked(lookups, "the month before", first.reply.asked).reply.answer
    assert isinstance(before, MonthAnswer) and before.series == "gallium"
    assert before.metrics.period == Period.month(2025, 9) and before.metrics.tonnes is not None
    assert before.metrics.tonnes.value == 5000
    other = asked(lookups, "what about germanium?", first.reply.asked).reply.answer
    assert isinstance(other, MonthAnswer) and other.series == "germanium"
    assert other.partner.code == "DE" and other.metrics.tonnes is not None
    assert other.metrics.tonnes.value == 222
    fresh = asked(lookups, "DE 2025-10", first.reply.asked).reply.answer  # a new question
    assert isinstance(fresh, MonthAnswer) and fresh.series == MAGNETS


def test_without_a_material_the_answer_is_about_magnets(lookups: Callable[[str], Lookup]) -> None:
    found = asked(lookups, "Germany 2025-10")
    assert found.lookup.series == MAGNETS and found.reply.heard.material is None
    answer = found.reply.answer
    assert isinstance(answer, MonthAnswer) and answer.metrics.tonnes is not None
    assert answer.metrics.tonnes.value == 1118


def test_a_material_alone_is_a_question(lookups: Callable[[str], Lookup]) -> None:
    answer = asked(lookups, "gallium").reply.answer
    assert isinstance(answer, MonthAnswer) and answer.partner.code == "WORLD"
    assert answer.metrics.period == Period.month(2025, 12) and answer.metrics.tonnes is not None
    assert answer.metrics.tonnes.value == 10809


def test_a_series_without_figures_says_so(lookups: Callable[[str], Lookup]) -> None:
    def some(series: str) -> Lookup:
        if series == "terbium":
            raise NoSeries(series)
        return lookups(series)

    found = asked(some, "terbium US").reply.answer
    assert isinstance(found, NoData) and found.name == "terbium"
