"""Danger phrases in the residents' other languages written in Latin letters (issue 23), beside the French ones of
``bot.danger``; Arabic script is in ``bot.danger_phrases_arabic``.

Each pattern was written and reviewed one by one, the way residents text: no accents (they are folded
anyway), SMS spellings, the partner named or not. Latin-script languages are matched on the folded text
(:func:`fold_latin`: ``ı`` -> ``i``, ``ş`` -> ``s``, ``ă`` -> ``a``, apostrophes -> spaces); Arabic script on
:func:`fold_arabic` (hamza forms -> ``ا``, ``ى`` -> ``ي``, short vowels and tatweel removed). Darija written
in Latin letters ("Arabizi", 3 = ع, 7 = ح, 9 = ق) is its own set. Groups are those of ``bot.danger``:
``threat`` (someone else will kill the resident: violence), then suicide, medical, child, violence, shelter.
"""

from __future__ import annotations

from bot.text import normalize

# language code -> group -> patterns (the groups of bot.danger._PATTERNS)
LATIN: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "threat": (
            r"\b(he|she|they|husband|boyfriend|partner|ex|wife|girlfriend|father|brother)\s+(will|is\s+going\s+to"
            r"|s\s+going\s+to|gonna|wants\s+to|threatens\s+to|threatened\s+to|said\s+he\s+would|said\s+she\s+would)"
            r"\s+kill\s+me\b",
            r"\bthreat(s|ened|ening)?\s+to\s+kill\s+me\b",
            r"\bdeath\s+threats?\b",
        ),
        "suicide": (
            r"\bsuicid",
            r"\b(kill|killing|hang|hanging|hurt|hurting)\s+myself\b",
            r"\b(end|ending|take|taking)\s+my\s+(own\s+)?life\b",
            r"\b(want|wanna|going|gonna)\s+(to\s+)?die\b",
            r"\b(don\s*t|do\s+not|dont)\s+want\s+to\s+(live|be\s+alive)\b",
            r"\bno\s+(reason|will)\s+to\s+live\b",
            r"\bbetter\s+off\s+dead\b",
            r"\bend\s+it\s+all\b",
        ),
        "medical": (
            r"\b(can\s*t|cannot|can\s+not|cant|not|isn\s*t|stopped)\s+breath(e|ing)\b",
            r"\bheart\s+attack\b",
            r"\bchest\s+pain",
            r"\bpain\s+in\s+(my|his|her)\s+chest\b",
            r"\b(had|having|has)\s+a\s+(stroke|seizure|fit)\b",
            r"\bunconscious\b",
            r"\b(passed|blacked)\s+out\b",
            r"\bfainted\b",
            r"\boverdose",
            r"\bseizure",
            r"\bbleeding\s+(a\s+lot|heavily|badly|so\s+much)\b",
            r"\b(took|swallowed|taken)\s+(too\s+many|all\s+(my|the|his|her))\s+(pills|tablets|medicines?|medication)\b",
            r"\b(not|won\s*t|isn\s*t|doesn\s*t|can\s*t)\s+wak(e|ing)\s+up\b",
            r"\bmedical\s+emergency\b",
            r"\b(call|need|send)\s+an\s+ambulance\b",
            r"\bchoking\b",
        ),
        "child": (
            r"\b(child|children|kid|kids|son|daughter|baby|babies)\s+(is\s+|are\s+)?in\s+danger\b",
            r"\b(beats|beat|beating|hits|hit|hitting|hurts|hurting|abuses|abused|abusing|shakes|burns|rapes|raped)\s+"
            r"(my|the|our|his|her|a)\s+(child|children|kid|kids|son|daughter|baby|little\s+girl|little\s+boy)\b",
            r"\bchild\s+abuse\b",
            r"\b(child|children|kid|kids|son|daughter|baby)\s+(is\s+being|are\s+being|was|were|being|got|gets)\s+"
            r"(abused|beaten|hit|hurt|touched|raped)\b",
            r"\b(molest|incest|paedophil|pedophil)",
        ),
        "violence": (
            r"\b(he|she|they|husband|partner|boyfriend|wife|girlfriend|ex)\s+(hits|hit|beats|beat|is\s+beating"
            r"|is\s+hitting|hurts|hurt|chokes|choked|strangled|strangles|raped|rapes|attacked|attacks|pushed"
            r"|slapped|slaps|punched|punches|kicked|kicks|threatens|threatened)\s+me\b",
            r"\b(hits|beats|beating|hitting|chokes|choking|strangles|rapes|slaps|punches|kicks)\s+me\b",
            r"\bdomestic\s+(violence|abuse)\b",
            r"\b(i\s+was|i\s+m|i\s+am|been|got|get)\s+(raped|beaten|attacked|assaulted|abused|beaten\s+up)\b",
            r"\b(violence|violent|rape|raped|assault|assaulted)\b",
            r"\b(afraid|scared|terrified)\s+of\s+my\s+(husband|partner|boyfriend|wife|girlfriend|ex)\b",
            r"\b(locked|locks)\s+me\s+(in|up)\b",
            r"\babusive\s+(husband|partner|boyfriend|wife|girlfriend|relationship)\b",
        ),
        "shelter": (
            r"\b(sleep|sleeping|slept|stay|staying|spend\s+the\s+night)\s+(outside|outdoors|on\s+the\s+streets?"
            r"|in\s+the\s+streets?|rough|in\s+my\s+car|in\s+the\s+car|at\s+the\s+station)\b",
            r"\b(nowhere|no\s+where|no\s+place|no\s+home)\s+to\s+(sleep|stay|go)\b",
            r"\bhomeless\b",
            r"\b(i\s+am|i\s+m|we\s+are|we\s+re|im)\s+on\s+the\s+streets?\b",
            r"\bon\s+the\s+streets?\s+(tonight|now|today)\b",
            r"\b(kicked|thrown|put)\s+(me\s+|us\s+)?out\b.{0,30}\b(tonight|street|streets|nowhere)\b",
            r"\bemergency\s+(shelter|accommodation|housing)\b",
            r"\bwhere\s+(can|do|will|could)\s+(i|we)\s+sleep\s+tonight\b",
        ),
    },
    "es": {
        "threat": (
            r"\b(me\s+)?(va|van|quiere|quieren|amenaza\s+con|amenazo\s+con|dijo\s+que\s+va)\s+(a\s+)?matarme\b",
            r"\bme\s+(va|van|quiere)\s+a\s+matar\b",
            r"\bamenaza(s|do)?\s+de\s+muerte\b",
            r"\bme\s+amenaza\s+con\s+matar",
        ),
        "suicide": (
            r"\bsuicid",
            r"\b(quiero|voy\s+a|pienso\s+en|ganas\s+de|quisiera)\s+(matarme|morirme|morir|quitarme\s+la\s+vida)\b",
            r"\bquitarme\s+la\s+vida\b",
            r"\bno\s+quiero\s+(seguir\s+)?(vivir|viviendo)\b",
            r"\bacabar\s+con\s+(mi\s+vida|todo)\b",
            r"\bno\s+tengo\s+ganas\s+de\s+vivir\b",
            r"\b(matarme|ahorcarme)\b",
        ),
        "medical": (
            r"\bno\s+(puede|puedo|podemos|consigue)\s+respirar\b",
            r"\bno\s+respira\b",
            r"\bataque\s+(al\s+corazon|cardiaco|de\s+epilepsia|de\s+asma)\b",
            r"\binfarto\b",
            r"\bdolor\s+(en\s+el|de)\s+pecho\b",
            r"\binconsciente\b",
            r"\b(se\s+desmayo|desmayad[oa]|perdio\s+el\s+conocimiento)\b",
            r"\bsobredosis\b",
            r"\bconvulsion",
            r"\bsangr(a|ando)\s+mucho\b",
            r"\bemergencia\s+medica\b",
            r"\b(una|la)\s+ambulancia\b",
            r"\bno\s+(se\s+)?despierta\b",
            r"\bderrame\s+cerebral\b",
            r"\b(tomo|se\s+tomo|trago)\s+(todas\s+las|demasiadas|muchas)\s+(pastillas|medicinas|pildoras)\b",
        ),
        "child": (
            r"\b(nino|nina|ninos|ninas|hijo|hija|hijos|hijas|bebe|menor)\s+(esta|estan)\s+en\s+peligro\b",
            r"\b(pega|pegan|golpea|golpean|maltrata|maltratan|abusa\s+de|abusan\s+de|viola)\s+(a\s+)?"
            r"(mi|mis|su|sus|los|las|el|la|nuestro|nuestra|un|una)\s+(nino|nina|ninos|ninas|hijo|hija|hijos|hijas|bebe)\b",
            r"\bmaltrato\s+infantil\b",
            r"\b(nino|nina|ninos|hijo|hija|hijos|bebe)\s+(es|son|fue|fueron)\s+(maltratad|abusad|golpead)",
        ),
        "violence": (
            r"\bme\s+(pega|pegan|pego|golpea|golpeo|golpean|maltrata|viola|violo|ahorca|estrangula|amenaza|empuja"
            r"|empujo|agrede|agredio)\b",
            r"\bviolencia\b",
            r"\bme\s+(ha|han)\s+(pegado|golpeado|violado|agredido|maltratado)\b",
            r"\b(miedo|panico)\s+(de|a)\s+mi\s+(marido|esposo|pareja|novio|ex|mujer|esposa)\b",
            r"\b(violacion|me\s+violaron)\b",
            r"\b(fui|he\s+sido)\s+(violada|violado|agredida|agredido|golpeada|golpeado)\b",
        ),
        "shelter": (
            r"\b(duermo|dormir|dormimos|dormire|dormiremos|pasar\s+la\s+noche)\s+(en\s+la\s+calle|fuera|afuera"
            r"|en\s+el\s+coche|en\s+el\s+carro|en\s+la\s+estacion)\b",
            r"\b(estoy|estamos|quedo|quedamos|quede|me\s+quede|nos\s+quedamos)\s+en\s+la\s+calle\b",
            r"\bno\s+tengo\s+(donde|a\s+donde|adonde)\s+(dormir|ir|quedarme)\b",
            r"\bsin\s+(techo|hogar)\b",
            r"\b(me|nos)\s+(echaron|echo|han\s+echado)\b.{0,30}\b(calle|casa|piso|noche)\b",
        ),
    },
    "pt": {
        "threat": (
            r"\b(vai|vao|quer|querem|ameacou|ameaca|disse\s+que\s+vai)\s+(me\s+matar|matar\s+me)\b",
            r"\bameaca(s)?\s+de\s+morte\b",
        ),
        "suicide": (
            r"\bsuicid",
            r"\b(quero|vou|penso\s+em|vontade\s+de|queria)\s+(me\s+matar|matar\s+me|morrer|acabar\s+com\s+(a\s+)?minha\s+vida"
            r"|tirar\s+a\s+(minha\s+)?vida)\b",
            r"\bnao\s+quero\s+(mais\s+)?viver\b",
            r"\bacabar\s+com\s+tudo\b",
            r"\b(me\s+matar|matar\s+me|enforcar\s+me|me\s+enforcar)\b",
        ),
        "medical": (
            r"\bnao\s+(consegue|consigo|conseguimos|esta\s+a|esta)\s+respirar\b",
            r"\bnao\s+respira\b",
            r"\bataque\s+(cardiaco|do\s+coracao|de\s+epilepsia|de\s+asma)\b",
            r"\benfarte\b",
            r"\bdor\s+no\s+peito\b",
            r"\binconsciente\b",
            r"\bdesmai(ou|ada|ado)\b",
            r"\bperdeu\s+(os\s+sentidos|a\s+consciencia)\b",
            r"\bconvuls",
            r"\bsangr(a|ando)\s+muito\b",
            r"\bemergencia\s+medica\b",
            r"\b(uma|a)\s+ambulancia\b",
            r"\bnao\s+acorda\b",
            r"\btomou\s+(todos\s+os|demasiados|muitos)\s+(comprimidos|remedios|medicamentos)\b",
        ),
        "child": (
            r"\b(crianca|criancas|filho|filha|filhos|filhas|bebe|menor)\s+(esta|estao)\s+em\s+perigo\b",
            r"\b(bate|batem|maltrata|maltratam|abusa|abusam|espanca|espancam)\s+(em\s+|no\s+|na\s+|nos\s+|nas\s+|do\s+|da\s+)?"
            r"(meu\s+|minha\s+|meus\s+|minhas\s+|o\s+|a\s+|os\s+|as\s+|seu\s+|sua\s+)?"
            r"(crianca|criancas|filho|filha|filhos|filhas|bebe)\b",
            r"\bmaus\s+tratos\b",
        ),
        "violence": (
            r"\bme\s+(bate|bateu|agride|agrediu|espanca|espancou|violou|estrangula|estrangulou|ameaca|ameacou|empurrou)\b",
            r"\b(bate|bateu|batia)\s+em\s+mim\b",
            r"\b(bate|bateu|agride|agrediu|espanca|espancou|ameaca|ameacou)\s+me\b",  # "bate-me" (European form)
            r"\bviolencia\b",
            r"\bmedo\s+do\s+meu\s+(marido|companheiro|namorado|ex)\b",
            r"\bfui\s+(violada|agredida|espancada|violado|agredido|espancado)\b",
            r"\bviolacao\b",
        ),
        "shelter": (
            r"\b(durmo|dormir|dormimos|dormi|vou\s+dormir|passar\s+a\s+noite)\s+(na\s+rua|fora|no\s+carro|na\s+estacao)\b",
            r"\b(estou|estamos|fiquei|ficamos|fico)\s+na\s+rua\b",
            r"\bnao\s+tenho\s+onde\s+(dormir|ficar|ir)\b",
            r"\bsem\s+(abrigo|teto|tecto)\b",
            r"\b(me|nos)\s+(puseram|expulsaram|mandaram)\s+(na\s+rua|para\s+a\s+rua|fora\s+de\s+casa)\b",
        ),
    },
    "tr": {
        "threat": (
            r"\bbeni\s+oldurec",
            r"\bbeni\s+oldurmek\s+ist",
            r"\boldurmekle\s+tehdit",
            r"\bolum\s+tehdid",
        ),
        "suicide": (
            r"\bintihar",
            r"\bkendimi\s+(oldur|asmak|asacag|atacag)",
            r"\bolmek\s+(ist|isti)",
            r"\b(yasamak|yasamayi)\s+(istemiyorum|istemiyor)\b",
            r"\bhayatima\s+son\s+ver",
            r"\bartik\s+yasamak\s+ist",
        ),
        "medical": (
            r"\bnefes\s+(alamiyor|alamiyorum|almiyor|alamiyoruz|alamadi)",
            r"\bkalp\s+kriz",
            r"\b(gogus|gogsum|gogsu)\s+agri",
            r"\bbilinci\s+(kapali|yok)\b",
            r"\bbilincini\s+kaybet",
            r"\bbayil(di|iyor|mis)\b",
            r"\b(sara|epilepsi|astim)\s+kriz",
            r"\bhavale\s+geciriyor",
            r"\bcok\s+kan\s+kaybed",
            r"\bkanama\s+durmuyor",
            r"\b(fazla|butun|tum)\s+(ilac|hap)\w*\s+(icti|aldi|yuttu)\b",
            r"\bambulans\b",
            r"\btibbi\s+acil",
            r"\buyanmiyor\b",
            r"\bfelc\s+gecir",
        ),
        "child": (
            r"\b(cocuk|cocugum|cocuklar|cocuklarim|oglum|kizim|bebek|bebegim)\w*\s+(tehlikede)\b",
            r"\b(cocugumu|cocuklarimi|oglumu|kizimi|bebegimi|cocugu|cocuklari)\s+(dovuyor|doverler|dovdu|doven"
            r"|istismar|taciz)",
            r"\bcocuk\s+istismar",
            r"\b(cocuga|cocuklara)\s+(siddet|istismar|taciz)",
        ),
        "violence": (
            r"\b(beni|bana)\s+(dovuyor|dovdu|dovuyorlar|vuruyor|vurdu|tecavuz|siddet|bogmaya|bogdu|tehdit|itti)",
            r"\bsiddet",
            r"\btecavuz",
            r"\b(kocamdan|esimden|sevgilimden|eski\s+esimden)\s+korkuyorum\b",
        ),
        "shelter": (
            r"\b(sokakta|disarida|disarda|arabada|istasyonda)\s+(kaliyorum|uyuyorum|yatiyorum|kaldim|kaldik|kaliyoruz"
            r"|uyuyoruz|uyuyacagim|yatacagim|kalacagim|kalacagiz)\b",
            r"\b(kalacak|uyuyacak|yatacak)\s+(yerim|yerimiz|bir\s+yerim|yer)\s+yok\b",
            r"\bevsiz",
            r"\bbu\s+gece\s+(sokakta|disarida|disarda)\b",
            r"\b(evden|kapi\s+disari)\s+(atildim|atildik|attilar|atti)\b",
        ),
    },
    "ro": {
        "threat": (
            r"\b(ma|m)\s+(va|vrea\s+sa\s+ma|o\s+sa\s+ma)\s+omoar",
            r"\b(vrea|vor|o\s+sa|a\s+zis\s+ca)\s+sa\s+ma\s+omoare\b",
            r"\bameninta\w*\s+cu\s+moartea\b",
            r"\bo\s+sa\s+ma\s+omoare\b",
        ),
        "suicide": (
            r"\bsinucid",
            r"\b(vreau|o\s+sa|ma\s+gandesc\s+sa)\s+(sa\s+)?(ma\s+omor|mor|ma\s+sinucid|imi\s+iau\s+viata)\b",
            r"\bnu\s+mai\s+vreau\s+sa\s+(traiesc|mai\s+traiesc)\b",
            r"\bimi\s+iau\s+viata\b",
            r"\bvreau\s+sa\s+mor\b",
            r"\bsa\s+ma\s+omor\b",
        ),
        "medical": (
            r"\bnu\s+(mai\s+)?(poate|pot|putem)\s+(sa\s+)?respir",
            r"\bnu\s+(mai\s+)?respira\b",
            r"\binfarct\b",
            r"\bdurere\s+(in|de)\s+piept\b",
            r"\binconstient",
            r"\b(s\s+a|a)\s+(lesinat|prabusit)\b",
            r"\bcriza\s+(de\s+epilepsie|de\s+inima|de\s+astm|cardiaca)\b",
            r"\bconvulsi",
            r"\bsangereaza\s+(mult|tare|foarte)\b",
            r"\bsupradoza\b",
            r"\burgenta\s+medicala\b",
            r"\bambulanta\b",
            r"\bnu\s+se\s+(mai\s+)?trezeste\b",
            r"\baccident\s+vascular\b",
            r"\ba\s+luat\s+(toate|prea\s+multe)\s+(pastilele|pastile|medicamentele|medicamente)\b",
        ),
        "child": (
            r"\b(copil|copilul|copila|copii|copiii|fiul|fiica|bebelus|bebelusul)\s+(meu\s+|mea\s+|mei\s+|nostru\s+)?"
            r"(este\s+|e\s+|sunt\s+)?in\s+pericol\b",
            r"\b(bate|bat|loveste|lovesc|abuzeaza|a\s+batut|a\s+abuzat)\s+(de\s+)?(copilul|copiii|copila|fiul|fiica"
            r"|bebelusul|copil|copii)\b",
            r"\babuz\w*\s+(asupra\s+)?(copil|copii|minor)",
            r"\b(copilul|copiii|fiul|fiica|copila)\s+(meu\s+|mea\s+|mei\s+)?(e|este|sunt|a\s+fost|au\s+fost)\s+"
            r"(batut|batuta|batuti|abuzat|abuzata|abuzati|lovit|lovita)",
        ),
        "violence": (
            r"\b(ma|m)\s+(bate|batea|bat|loveste|lovea|a\s+batut|a\s+lovit|violeaza|a\s+violat|strange\s+de\s+gat"
            r"|ameninta|a\s+amenintat|imbrancit|a\s+imbrancit|agreseaza|a\s+agresat)\b",
            r"\bviolent(a|e)\b",
            r"\b(am\s+fost|sunt)\s+(violata|violat|batuta|batut|agresata|agresat)\b",
            r"\bmi\s+e\s+(frica|teama)\s+de\s+(sotul|partenerul|prietenul|fostul|sotia)\b",
        ),
        "shelter": (
            r"\b(dorm|dormim|dormi|voi\s+dormi|o\s+sa\s+dorm)\s+(pe\s+strada|afara|in\s+masina|in\s+gara)\b",
            r"\b(sunt|suntem|am\s+ramas|ramanem|raman)\s+(in|pe)\s+strada\b",
            r"\bn\s*(u\s+)?am\s+unde\s+(sa\s+)?(dorm|stau|sta|ma\s+duc|merg)\b",
            r"\bfara\s+(adapost|locuinta|casa)\b",
            r"\b(m|ne)\s+au\s+(dat|aruncat)\s+afara\b",
        ),
    },
    # Darija (Algerian, Moroccan, Tunisian) written in Latin letters.
    "ar": {
        "threat": (
            r"\b(y|t|i|ghadi\s+y|bgha\s+y|bghat\s+t|rah\s+y|rah\s+yheb\s+y|yheb\s+y)(9|q|k)t[ae]?l(ni|na)\b",
            r"\bhadd?[ae]dni\s+b(l|el)?\s*(9|q|k)t[ae]?l\b",
        ),
        "suicide": (
            r"\bintihar",
            r"\bn(e)?(9|q|k)t[ae]?l\s+(rasi|rassi|nefsi|nafsi|rohi|ro7i|ruhi)\b",
            r"\b(bghit|n7eb|nheb|nhab|habit|habbit|bghina|ghadi|ghad|rani\s+ghadi|rani\s+bghit)\s+nmou?t\b",
            r"\b(ma\s*bghitch|mabghitch|ma\s*n7ebch|man7ebch|ma\s*nhebch|manhebch)\s+n3i?ch\b",
        ),
        "medical": (
            r"\w*n[ae]ff?[ae]s(ch|sh)\b",
            r"\bghm(a|at|et|i)\s+3li(h|ha|ya|a)\b",
            r"\bma\s*(ka|ki)?y?(nod|fi9|fiq|faya9)(ch|sh)\b",
            r"\b(dem+|dam+)\s+(bzaf|bezaf|ktir)\b",
            r"\b(crise|azma)\s+(f\s+|fi\s+)?(9elb|qalb|galb|l9elb|lqalb)\b",
        ),
        "child": (
            r"\b(ka|ki|kay|ta|tay|y|ye|rah\s+y)?d(a|e)?r(a|e)?b\w*\s+(wldi|weldi|wladi|wlidi|bnti|binti|bniti|drari|tfl"
            r"|tefl|tfla|wlad)\b",
            r"\b(wldi|weldi|wladi|wlidi|bnti|binti|drari|tfl|tfla)\s+(f|fi|fel)\s+(khatar|5atar|5tar|khtar|lkhatar)\b",
        ),
        "violence": (
            r"\b(ka|ki|kay|kaye|tay|ta|y|ye|ra\s+y|rah\s+y|rah|ra)?d(a|e)?r(a|e)?b(ni|ouni|oni|atni|tni|uni)\b",
            r"\b\w*hadd?[ae]dni\b",
            r"\b\w*[gr]htas?ab(ni|ouni)\b",
            r"\b3onf\b",
            r"\bkhayf(a)?\s+(men|mn)\s+(rajli|zawji|jouji|mari|raajli|rajel\s+dyali)\b",
        ),
        "shelter": (
            r"\b(n3e?s|nn3e?s|nr[9qg]o?d|nbat|nbayet|ngles)\s+(f\s+|fe\s+|fi\s+|f)?(l?zen[9qk]a|l?zan[9qk]a|chare3"
            r"|chera3|ch?ari3|lbarra|lberra|berra|barra|triq|tri9|ttri9|ttriq)\b",
            r"\b(ma\s*3?and(i|na)(ch|sh)?|makaynch|ma\s*kaynch|ma\s*kanch)\s+(fin|win|wine|mnin)\s+(n3e?s|nbat|nr[9qg]o?d"
            r"|nskon|nskn)\b",
            r"\b(rani|ana|7na|hna|ra)\s+(f|fi|fe)\s*(l?zen[9qk]a|l?zan[9qk]a|chare3|chera3|triq|tri9)\b",
            r"\b(khrjouni|khorjouni|jarouni|jerrouni|tardouni|tardni|tarduni|7ra9ouni)\s+(mn|men|m)\s+(dar|ddar|lbit)\b",
        ),
    },
}


def fold_latin(text: str) -> str:
    """Folded Latin text: ``"Kocam beni dövüyor"`` -> ``"kocam beni dovuyor"``, ``"n-am unde"`` -> ``"n am unde"``."""
    return normalize(text.replace("ı", "i").replace("İ", "i"))
