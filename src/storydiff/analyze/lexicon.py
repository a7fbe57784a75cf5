"""Word lists shared by the annotators: reporting verbs, quotation marks, speaker pronouns."""

from __future__ import annotations

# Verbs of saying, reporting and stating belief (lemmas). Attribution in news covers all three.
SPEECH_VERBS = frozenset(
    """
    say tell add state claim report announce note explain argue insist warn write acknowledge admit
    ask reply respond answer suggest deny confirm reveal allege assert contend declare describe emphasize
    emphasise stress testify tweet post recall complain concede agree estimate predict speculate maintain
    recount remark mention comment joke quip boast lament disclose signal hint caution urge vow promise
    pledge threaten accuse charge criticize criticise counter retort scoff muse observe conclude
    acknowledge continue reiterate repeat proclaim contend opine affirm told brag cite quote
    read show find indicate suggest conclude learn yell shout scream exclaim cry plead demand mock bemoan
    decry chant call dub term label brand praise slam blast criticize attack lash dismiss question whisper
    """.split()
)
# Verbs of belief, knowledge and expectation: attributions of an internal state.
BELIEF_VERBS = frozenset(
    """
    believe think feel know expect hope fear worry doubt suspect assume reckon guess figure consider
    understand recognize recognise realize realise wonder imagine see
    """.split()
)
CUE_VERBS = SPEECH_VERBS | BELIEF_VERBS

# Verbs whose direct object (and its infinitive complement) is what the source communicated:
# "announced a concert", "accused X of Y", "urged voters to stay home".
OBJECT_CUE_VERBS = frozenset(
    """
    announce reveal accuse praise criticize criticise attack urge ask endorse deny dismiss defend reject
    condemn blame question predict promise propose welcome applaud slam blast mock call demand
    acknowledge confirm share announce release unveil tout describe decry denounce warn
    """.split()
)
# Verbs whose infinitive complement is the attributed content: "wants to", "hopes to", "refused to".
XCOMP_CUE_VERBS = frozenset("want hope plan seek refuse decline intend vow pledge promise threaten aim expect".split())

# Nouns that, as subject of "show/find/indicate/suggest/read", make the clause an attribution.
DOCUMENT_NOUNS = frozenset(
    "poll polls survey study report data cable memo document statement analysis record records letter "
    "email emails filing filings research figures numbers results audit investigation review".split()
)
# Verbs that are cues only with a document-like subject.
DOCUMENT_ONLY_VERBS = frozenset("show find indicate suggest read reveal".split())

# Opening -> closing quotation marks.
QUOTE_PAIRS = {
    "\u201c": "\u201d",  # “ ”
    '"': '"',
    "\u00ab": "\u00bb",  # « »
    "\u300c": "\u300d",  # 「 」
    "\u300e": "\u300f",  # 『 』
    "\u201e": "\u201c",  # „ “
    "\u2018": "\u2019",  # ‘ ’ (only for long stretches, see quotes.py)
}
QUOTE_CHARS = frozenset("\"\u201c\u201d\u00ab\u00bb\u300c\u300d\u300e\u300f\u201e\u2018\u2019'")

# Chinese reporting words: verbs that introduce speech, and framing words for citations.
ZH_SPEECH = ("表示", "指出", "强调", "透露", "声称", "宣称", "认为", "说道", "告诉", "称", "说", "写道", "介绍", "坦言", "承认", "警告")

# Job titles and roles that may stand before a name ("Deputy Secretary X") or in apposition after it.
ROLE_WORDS = frozenset(
    """
    president secretary undersecretary minister director chairman chairwoman chairperson chair chief head
    spokesman spokeswoman spokesperson senator governor mayor ambassador general commander ceo cfo coo
    officer official king queen prince princess judge justice attorney prosecutor leader manager editor
    professor dr representative rep sen gov adviser advisor envoy commissioner chancellor premier speaker
    inspector superintendent captain colonel lieutenant sergeant admiral councillor councilor founder owner
    coach treasurer economist analyst reporter correspondent correspondent administrator deputy secretary-general
    president-elect minister-president mp lawmaker congressman congresswoman spokesmen pope bishop archbishop
    cardinal imam rabbi emir sheikh sultan monarch dean rector principal vice-president counsel
    """.split()
)
# Words that change the rank a role names: "Deputy Secretary" is not "Secretary".
RANK_MODIFIERS = frozenset("deputy vice under assistant acting former interim associate ex junior sub".split())
