"""Abbreviation and word lists the sentence splitter consults, kept apart as data.

Each language has a table from an abbreviation (without its final period, inner periods kept
and inner spaces removed: ``"u.s"``, ``"т.е"``) to its *kind*, which tells the
splitter what a period after it means when the next word is capitalised:

``title``
    Stands before a name (``Mr.``, ``Gov.``, ``проф.``, ``ул.``): never ends a sentence.
``inner``
    Used inside a sentence (``e.g.``, ``i.e.``, ``approx.``, ``т. е.``): never ends one.
``number``
    Stands before a number (``No. 5``, ``ст. 228``, ``рис. 3``): joins only before a digit;
    otherwise the period is read as an ordinary one (``The answer was no. Then ...``).
``ambiguous``
    May end a sentence or stand inside one before a name (``U.S. Army`` / ``in the U.S. She``,
    ``King Jr. Day`` / ``Smith Jr. He``, ``музей им. Пушкина`` / ``позвонил им. Они``): the sentence
    ends only if the next word is one that typically opens a sentence (``STARTERS``).
``end``
    Often ends a sentence (``etc.``, ``5 p.m.``, ``т. д.``, ``руб.``): a following capitalised
    word opens a new sentence unless it is one of ``CONTINUATIONS`` (``p.m. Eastern``,
    ``долл. США``).

Entries written with a capital match only so (``Wash.`` the state, not ``wash.``); the others
match in any case. ``AFTER_NUMBER`` overrides the kind right after a number (``2020 г.`` ends
a sentence before a capital, ``г. Москва`` does not; ``5 см.`` is a unit, ``см.`` alone means
"see").

Any abbreviation is followed by the same sentence when the next word is lower case, a digit or
punctuation. ``STARTERS`` lists function words and common sentence openers per language (as
written at a sentence start, lower-cased); ``SPEECH_VERBS`` the verbs of an attribution that
follows a quotation (``"Why?" Smith asked.``).
"""
from __future__ import annotations

from typing import Mapping


def _table(**groups: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for kind, words in groups.items():
        for word in words.split():
            table[word] = kind
    return table


ABBREVIATIONS: Mapping[str, Mapping[str, str]] = {
    "en": _table(
        title=(
            "mr mrs ms messrs mmes mme mlle dr prof gov govs sen sens rep reps lt col gen maj "
            "capt cmdr cmdt adm sgt cpl pvt brig Rev revd fr Hon pres supt insp det atty amb "
            "pte dame sts yu ya zh kh ts"
        ),
        inner=(
            "e.g i.e cf vs v viz approx appr ca c incl excl esp resp "
            "w.r.t a.k.a aka w/o"
        ),
        number=(
            "no nos nr p pp vol vols ch chap sec sect art arts para fig figs eq eqs ex "
            "op tab pg pgs ed eds"
        ),
        ambiguous=(
            "inc ltd co corp llc plc bros jr sr esq "
            "u.s u.k u.n e.u u.s.a u.s.s.r d.c n.y l.a n.j s.f "
            "ph.d m.d b.a m.a b.sc m.sc ll.b ll.m d.phil m.b.a "
            "dept univ assn assoc ave blvd rd hwy pl sq govt mgmt natl intl misc "
            "jan feb Mar apr Jun jul aug sep sept oct nov dec "
            "mon tue tues Wed thu thur thurs fri Sat Sun "
            "ala ariz ark calif colo conn Del fla ga Ill Ind kan kans ky La md Mass mich minn "
            "Miss Mo mont neb nev okla Ore Pa tenn tex va vt Wash wis wyo "
            "st ste mt ft pt"
        ),
        end="etc al a.m p.m",
    ),
    "ru": _table(
        title=(  # "г." before a name is a town; after a number see AFTER_NUMBER
            "г гг в вв ул пр просп пер пл наб ш обл пос дер проф акад доц тов гр св ген "
            "полк подп зам зав нач корр чл ред "
            "мр дж вл вс ал "
            "mr mrs ms dr prof"
        ),
        inner=(
            "т.е т.к т.н т.ч т.о и.о вр.и.о см ср напр ориг прим "
            "e.g i.e vs"
        ),
        number=(
            "ст ч чч п пп д т тт рис табл гл стр разд кв корп пом оф каб эт лит ок no"
        ),
        # "им." is also the pronoun: "Я позвонил им. Они ..." / "музей им. Пушкина".
        # Also a word: "им." (them), "гор." (mountains); "нем." (him) and "кит." (whale) are
        # left out as the word is the likelier reading.
        ambiguous="им гор англ фр франц лат рус укр исп итал яп греч араб букв",
        end=(
            "т.д т.п др тыс млн млрд трлн руб коп долл дол евро "
            "р км кг мм га сек мин час проц экз чел куб н.э до.н.э с.г сут мес "
            "etc inc ltd co corp"
        ),
    ),
}

AFTER_NUMBER: Mapping[str, Mapping[str, str]] = {
    "en": {},
    "ru": {"г": "end", "гг": "end", "в": "end", "вв": "end", "см": "end"},
}

# Prepositions that open a date phrase at the start of a sentence: "В 2021 г. ВВП вырос ...",
# "С 1 января 2020 г. Минфин ...". A date abbreviation that ends such a short opening phrase
# does not end the sentence.
DATE_OPENERS: Mapping[str, frozenset[str]] = {
    "en": frozenset(),
    "ru": frozenset("в во с со до к ко по на от за после около через перед между".split()),
}

# Words that continue the sentence after an ``end`` abbreviation although capitalised:
# "at 5 p.m. Eastern time", "on Monday at 9 a.m. GMT", "10 млн долл. США".
CONTINUATIONS: Mapping[str, frozenset[str]] = {
    "en": frozenset("""
        monday tuesday wednesday thursday friday saturday sunday
        january february march april may june july august september october november december
        gmt utc est edt cst cdt mst mdt pst pdt akst hst et ct mt pt bst cet cest msk ist jst
        eastern central pacific mountain atlantic local moscow london
    """.split()),
    "ru": frozenset("сша рф ссср мск utc gmt".split()),
}

STARTERS: Mapping[str, frozenset[str]] = {
    "en": frozenset("""
        a an the this that these those there here it its he she his her him they their them
        we our us i my me you your who whom whose what which when where why how
        and but or nor so yet for because although though while whereas if unless until
        after before since as once whether
        in on at by from to of with without within into onto over under about above below
        across among between during despite against along around behind beyond through
        throughout toward towards upon via per
        however meanwhile moreover furthermore nevertheless nonetheless therefore thus hence
        also still then now today tonight yesterday tomorrow later earlier instead otherwise
        indeed besides finally first second third last next another other others such
        some many most much more few several all both each every either neither no not
        none nobody nothing everyone everything someone something anyone anything
        one two three four five six seven eight nine ten
        according asked says said speaking
        is are was were be been being do does did has have had can could will would shall
        should may might must let please
        yes oh well just even only perhaps maybe ultimately overall similarly likewise
        additionally consequently accordingly specifically notably importantly unfortunately
        fortunately currently recently previously initially eventually generally usually
        often sometimes never always already again
    """.split()),
    "ru": frozenset("""
        а и но или да нет не ни же ведь вот вон это этот эта эти этого этой этих то тот та те
        там тут здесь так такой такая такие тогда теперь сейчас сегодня вчера завтра потом
        затем позже ранее раньше уже еще ещё всё все весь вся всего всех
        я ты он она оно мы вы они его её ее их ему ей им нам вам нас вас меня мне себя
        мой моя мои твой твоя твои наш наша наши ваш ваша ваши свой своя свои
        кто что где куда откуда когда почему зачем как какой какая какие сколько чей
        в во на с со по за из из-за к ко о об от до для при про без над под перед после
        между через среди около вокруг против ради у
        если хотя пока чтобы потому поэтому однако также тоже кроме впрочем причем причём
        поскольку хотя несмотря согласно именно кстати итак зато следовательно значит
        один одна одно два две три четыре пять шесть семь восемь девять десять
        первый первая второй вторая третий последний следующий
        многие некоторые каждый каждая любой другой другие иные никто ничто никогда
        сам сама сами самый самое очень лишь только даже может возможно наконец вдруг
        сначала вместе всегда иногда часто обычно нередко по-прежнему
        был была было были будет будут есть нужно надо можно нельзя
        напомним отметим добавим заметим подчеркнем подчеркнём
    """.split()),
}

SPEECH_VERBS: Mapping[str, frozenset[str]] = {
    "en": frozenset("""
        said says asked asks added adds told tells shouted shouts yelled replied replies
        wrote writes explained explains noted notes continued continues recalled recalls
        exclaimed whispered cried insisted insists declared answered answers warned warns
        tweeted posted argued argues stressed suggested joked laughed sighed admitted
        admits responded responds commented comments remarked
    """.split()),
    "ru": frozenset("""
        сказал сказала сказали говорит говорил говорила спросил спросила спросили ответил
        ответила ответили добавил добавила добавили заявил заявила заявили отметил отметила
        написал написала воскликнул воскликнула крикнул крикнула пояснил пояснила
        подчеркнул подчеркнула признался призналась рассказал рассказала
    """.split()),
}
