"""Words about people and what is not a person: role nouns, group nouns, organisation words, and the
capitalised words that are never a name.

Plain data, folded to lower case (all ASCII): read by the quotation finders and the cast of an article.
"""

from __future__ import annotations

# Capitalised words that start sentences or name things, never people.
NOT_NAME = frozenset(w.lower() for w in """
The A An In On At For But And Or Nor So Yet However Meanwhile Since After Before Both This That These Those It
He She They We I You His Her Their Our Its My Your Elsewhere Besides Unfortunately First Second Third Some There
What Did Does Do Is Are Was Were Will Would When Where Why How Who Whom Whose Which If While Although Though
Also Still Even Then Now Today Yesterday Tomorrow Once Yes No Not Only Many Most More Every Each All Any
Let Here As Because Despite During Under Over Among Between Against Without Within Through Isolated According
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
September October November December Mother Father Son Daughter Sir Madam Hey Oh Please Thank Thanks Congress
""".split())


# Words that make a capitalised sequence an organisation, a place or an event.
ORG_WORDS = frozenset(w.lower() for w in """
University Institute Network Court Assembly Council House Senate Congress Party Department Ministry Office
Agency Union Nations States Republic Kingdom Street Avenue Prize War Peace Criminal International National
Federal Supreme Committee Commission Bank Fund Group Company Corporation News Times Post Press Research Center
Centre Foundation Association Organization Organisation Alliance Forces Army Navy Police Security Service North
South East West Middle New Key Issues Talks Summit Conference Street Square City County Island Islands Sea Ocean
River Mountains Airport Hall School College Academy Church Times Journal Review Daily Weekly Club Team Board
Administration Government Parliament Cabinet Pentagon Kremlin Gulf Coast Valley Empire Treaty Act Bill Plan
Program Programme Project Initiative Campaign Fort Park Hotel Tower Station Museum Library Hospital Prison
Federation Labor Labour Workers Fed Reserve Guard Corps Act Authority Trust Council Coalition Caucus
""".split())


# Lower-case nouns after which a capitalised name is a description's head: "NATO chief Mark Rutte".
ROLE_NOUNS = frozenset("""
chief head leader minister secretary spokesman spokeswoman spokesperson president director official adviser
advisor analyst expert professor senator governor representative congressman congresswoman lawmaker ambassador
envoy commissioner chairman chairwoman chair candidate nominee founder ceo attorney lawyer judge economist
strategist aide negotiator mayor general commander manager researcher scientist historian correspondent
reporter editor member speaker whip counsel chancellor premier diplomat spokesperson pollster consultant
executive officer detective prosecutor sheriff activist author columnist commentator political scientist
americanist sovietologist lecturer doctor dean rector librarian teacher principal nurse surgeon physician engineer
architect planner inspector curator coach captain pilot farmer owner organiser organizer campaigner volunteer
""".split())


# People spoken of as a group: "Richmond police said".
GROUP_NOUNS = frozenset("""
police officials prosecutors authorities investigators officers lawmakers aides sources spokesman spokeswoman
spokesperson witnesses residents analysts experts critics officials democrats republicans
""".split())


# Capitalised words before a name that say what someone is: "Senate Majority Leader Chuck Schumer".
LEAD_ROLES = frozenset("former majority minority deputy vice acting first lady senate house state white"
                       " foreign defense defence interior prime supreme chief".split())

# Role nouns that tell a gender, read in a person's descriptions ("the nominee's eldest daughter").
GENDERED_NOUNS = {
    **dict.fromkeys("woman women daughter wife mother sister girl grandmother aunt niece widow actress chairwoman "
                    "congresswoman spokeswoman businesswoman congresswomen queen princess duchess".split(), "f"),
    **dict.fromkeys("man men son husband father brother boy grandfather uncle nephew widower actor chairman "
                    "congressman spokesman businessman king prince duke".split(), "m"),
}

# Abstract nouns the parser sometimes makes the subject of a verb of saying ("the matter remarks", "the debate
# asserting"): never the source of a quotation.
NOT_SAYERS = frozenset("""
matter debate situation thing things issue question problem case way lot tone meeting visit deal goal eye name
time day week year point fact idea event moment result number change move attack salvo projection passage
assumption assessment argument account effort process
""".split())
