"""Built-in names of common Danish laws, so citations of laws the store does not hold still resolve.

Popular names and titles as the meta data of Retsinformation's consolidations in the corpus
(Lovtidende A 2010-2017) give them, plus a few common laws. One line per law:
popular name, TAB, titles separated by ';', TAB, aliases separated by ';'. A title names one law only.
"""

LAWS = """\
adgangsreguleringsloven	lov om adgangsregulering ved videregående uddannelser	
adoptionsloven		
affalds- og råstofafgiftsloven	lov om afgift af affald og råstoffer	
afskrivningsloven	lov om skattemæssige afskrivninger	
aftaleloven	lov om aftaler og andre retshandler på formuerettens område	
akkrediteringsloven	lov om akkreditering af videregående uddannelsesinstitutioner	
aktieavancebeskatningsloven	lov om den skattemæssige behandling af gevinst og tab ved afståelse af aktier m.v.;lov om den skattemæssige behandling af gevinster og tab ved afståelse af aktier m.v.	
aktivloven	lov om aktiv socialpolitik	
almenboligloven	lov om almene boliger m.v.	
almenlejeloven	lov om leje af almene boliger	
amu-loven	lov om arbejdsmarkedsuddannelser m.v.	
andelsboligloven	lov om andelsboligforeninger og andre boligfællesskaber	
anerkendelsesloven	lov om anerkendelse af visse uddannelses- og erhvervsmæssige kvalifikationer	
ansættelsesbevisloven	lov om arbejdsgiverens pligt til at underrette lønmodtageren om vilkårene for ansættelsesforholdet	
apotekerloven	lov om apoteksvirksomhed	
arbejdsløshedsforsikringsloven	lov om arbejdsløshedsforsikring m.v.	
arbejdsmiljøloven	lov om arbejdsmiljø	
arbejdsskadesikringsloven	lov om arbejdsskadesikring	
aub-loven	lov om Arbejdsgivernes Uddannelsesbidrag	
autorisationsloven	lov om autorisation af sundhedspersoner og om sundhedsfaglig virksomhed	
avu-loven	lov om almen voksenuddannelse og om anerkendelse af realkompetence i forhold til fag i almen voksenuddannelse, i hf-uddannelsen og i uddannelsen til studentereksamen	
barselsloven	lov om ret til orlov og dagpenge ved barsel	barselloven
bbr-loven	lov om bygnings- og boligregistrering	
begravelsesloven	lov om begravelse og ligbrænding	
bemyndigelsesloven	lov om anvendelsen af visse af Den Europæiske Unions retsakter om økonomiske forbindelser til tredjelande m.v.	
beskæftigelsesloven	lov om en aktiv beskæftigelsesindsats	
biblioteksloven	lov om biblioteksvirksomhed	
bidragsopkrævningsloven	lov om opkrævning af underholdsbidrag	
boafgiftsloven	lov om afgift af dødsboer og gaver;lov om dødsboer og gaver	
boligbyggeriloven	lov om boligbyggeri	
boligreguleringsloven	lov om midlertidig regulering af boligforholdene	
boligstøtteloven	lov om individuel boligstøtte	
brugsmodelloven	lov om brugsmodeller	
brændstofforbrugsafgiftsloven	lov om afgift efter brændstofforbrug m.v. for visse person- og varebiler	
buskørselsloven	lov om buskørsel	
byfornyelsesloven	lov om byfornyelse og udvikling af byer	
byggeloven		
børne- og ungeydelsesloven	lov om en børne- og ungeydelse	
børneattestloven	lov om indhentelse af børneattest i forbindelse med ansættelse af personale m.v.	
børnebidragsloven	lov om børns forsørgelse	
børnebortførelsesloven	lov om international fuldbyrdelse af forældremyndighedsafgørelser m.v.	
børneloven		
børnetilskudsloven	lov om børnetilskud og forskudsvis udbetaling af børnebidrag	
cfc-afgiftsloven	lov om afgift af cfc og visse industrielle drivhusgasser	
cfcs-loven	lov om Center for Cybersikkerhed	
chokoladeafgiftsloven	lov om afgift af chokolade- og sukkervarer m.m.	
cmr-loven	lov om fragtaftaler ved international vejtransport	
co2-afgiftsloven	lov om kuldioxidafgift af visse energiprodukter	
co2-kvoteloven	lov om CO2-kvoter	
cpr-loven	lov om Det Centrale Personregister	
dagtilbudsloven	lov om dag-, fritids- og klubtilbud m.v. til børn og unge	dagtilbudslov
deponeringsloven	lov om skyldneres ret til at frigøre sig ved deponering	
designloven		
dis-loven	lov om Dansk Internationalt Skibsregister	
dtu-loven	lov om Danmarks Tekniske Universitets (DTU) overgang til selveje	
dykkerloven	lov om dykkerarbejde og dykkermateriel m.v.	
dyreforsøgsloven	lov om dyreforsøg	
dyreværnsloven		
dyrlægeloven	lov om dyrlæger	
dødsboskatteloven	lov om beskatning ved dødsfald	
dødsboskifteloven	lov om skifte af dødsboer	
ecodesignloven	lov om miljøvenligt design af energirelaterede produkter	
egts-loven	lov om administration af forordning om oprettelse af en europæisk gruppe for territorialt samarbejde	
ejendomsavancebeskatningsloven	lov om beskatning af fortjeneste ved afståelse af fast ejendom	
ejendomsskattelåneloven	lov om lån til betaling af ejendomsskatter	
ejendomsværdiskatteloven		
ejerlejlighedsloven	lov om ejerlejligheder	
elafgiftsloven	lov om afgift af elektricitet	
emballageafgiftsloven	lov om afgift af visse emballager, poser, engangsservice og pvc-folier	
erhvervelsesloven	lov om erhvervelse af fast ejendom	
erhvervsfondsloven	lov om erhvervsdrivende fonde	
erhvervsfremmeloven	lov om erhvervsfremme og regional udvikling	
erhvervslejeloven	lov om leje af erhvervslokaler m.v.	
erhvervsuddannelsesloven	lov om erhvervsuddannelser	
erstatningsansvarsloven	lov om erstatningsansvar	
europa-parlamentsvalgloven	lov om valg af danske medlemmer til Europa-Parlamentet	
eux-loven	lov om studiekompetencegivende eksamen i forbindelse med erhvervsuddannelse (eux) m.v.	
eva-loven	lov om Danmarks Evalueringsinstitut	
fe-loven	lov om Forsvarets Efterretningstjeneste (FE)	
fedtafgiftsloven	lov om afgift af mættet fedt i visse fødevarer (fedtafgiftsloven)	
ferieloven	lov om ferie	
foderfosfatafgiftsloven	lov om afgift af mineralsk fosfor i foderfosfat	
folkeoplysningsloven	lov om støtte til folkeoplysende voksenundervisning, frivilligt folkeoplysende foreningsarbejde og daghøjskoler samt om Folkeuniversitetet	
folkeskoleloven	lov om folkeskolen	folkeskolelov
folketingsvalgloven	lov om valg til Folketinget	
fondsbeskatningsloven	lov om beskatning af fonde og visse foreninger	
fondsloven	lov om fonde og visse foreninger	
forbrugeraftaleloven	lov om forbrugeraftaler	
forbrugerklageloven	lov om forbrugerklager	
forsikringsaftaleloven	lov om forsikringsaftaler	
forskningsrådsloven	lov om forskningsrådgivning m.v.	
forvaltningsloven		
forældelsesloven	lov om forældelse af fordringer	
forældreansvarsloven		
frekvensloven	lov om radiofrekvenser	
frikommuneloven	lov om frikommuner;lov om frikommuner m.v.	
friplejeboligloven	lov om friplejeboliger	
friskoleloven	lov om friskoler og private grundskoler m.v.	
fusionsskatteloven	lov om fusion, spaltning og tilførsel af aktiver m.v.	
fællesmærkeloven		
færdselsloven		
fødevareloven	lov om fødevarer	
gammelførtidspensionsloven	lov om højeste, mellemste, forhøjet almindelig og almindelig førtidspension m.v.	
gasafgiftsloven	lov om afgift af naturgas og bygas	
gebyrloven	lov om gebyrer og morarenter vedrørende visse ydelser, der opkræves af regioner og kommuner og inddrives af restanceinddrivelsesmyndigheden	
godskørselsloven	lov om godskørsel	
godtgørelsesloven	lov om godtgørelse og tilskud til befordring ved deltagelse i erhvervsrettet voksen- og efteruddannelse	
grundloven	danmarks riges grundlov	
gudp-loven	lov om Grønt Udviklings- og Demonstrationsprogram	
gymnasieloven	lov om uddannelsen til studentereksamen (stx)	
gældsbrevsloven	lov om gældsbreve	
havmiljøloven	lov om beskyttelse af havmiljøet	
havneloven	lov om havne	
helligdagsloven		
hf-loven	lov om uddannelsen til højere forberedelseseksamen	
hittegodsloven	lov om hittegods	
hundeloven	lov om hunde	
husdyrbeskatningsloven	lov om den skattemæssige behandling af husdyrbesætninger	
husdyrgodkendelsesloven	lov om miljøgodkendelse m.v. af husdyrbrug	
højskoleloven	lov om folkehøjskoler	
ieu-loven	lov om institutioner for erhvervsrettet uddannelse	
inkassoloven	lov om inkassovirksomhed	
integrationsloven	lov om integration af udlændinge i Danmark	
international bistandsloven	lov om gensidig bistand ved inddrivelse af fordringer i forbindelse med skatter, afgifter og andre foranstaltninger samt administrativt samarbejde på beskatningsområdet	
jernbaneloven	lov om jernbane	
jobpræmieloven	lov om en 2-årig forsøgsordning om jobpræmie til enlige forsørgere	
jordfordelingsloven	lov om jordfordeling og offentligt køb og salg af fast ejendom til jordbrugsmæssige formål m.m.	
jordforureningsloven	lov om forurenet jord	
kemikalieloven	lov om kemikalier	
kildeskatteloven		
klage- og erstatningsloven	lov om klage- og erstatningsadgang inden for sundhedsvæsenet	
knivloven	lov om knive og blankvåben m.v.	
kommissionsloven		
kommunal ejendomsskatteloven	lov om kommunal ejendomsskat	
kommunal- og regionalvalgloven	lov om kommunale og regionale valg	
kommunestyrelsesloven	lov om kommunernes styrelse	
konkurrenceloven		
konkursloven		
konkursskatteloven		
kontraktskonventionsloven	lov om gennemførelse af konvention om, hvilken lov der skal anvendes på kontraktlige forpligtelser, m.v.	
kreditaftaleloven	lov om kreditaftaler	
krigsmaterielloven	lov om krigsmateriel m.v.	
kulafgiftsloven	lov om afgift af stenkul, brunkul og koks m.v.	
kulbrinteskatteloven	lov om beskatning af indkomst i forbindelse med kulbrinteindvinding i Danmark	
kunstfondsloven	lov om Statens Kunstfonds virksomhed	
kursgevinstloven	lov om skattemæssig behandling af gevinst og tab på fordringer, gæld og finansielle kontrakter	
kvælstofafgiftsloven	lov om afgift af kvælstof indeholdt i gødninger m.m.	
kvælstofoxiderafgiftsloven	lov om afgift af kvælstofoxider	
købeloven	lov om køb	
køretøjsregistreringsloven	lov om registrering af køretøjer	
landbrugsloven	lov om landbrugsejendomme	
landbrugsstøtteloven	lov om administration af Det Europæiske Fællesskabs forordninger om ordninger under Den Fælles Landbrugspolitik finansieret af Den Europæiske Garantifond for Landbruget m.v.	
landinspektørloven	lov om landinspektørvirksomhed	
lejeloven	lov om leje	
lep-loven	lov om erhvervsakademiuddannelser og professionsbacheloruddannelser	
ler-loven	lov om registrering af ledningsejere	
ligebehandlingsloven	lov om ligebehandling af mænd og kvinder med hensyn til beskæftigelse m.v.	
ligestillingsloven	lov om ligestilling af kvinder og mænd	
ligningsloven	lov om påligningen af indkomstskat til staten	
lodsloven		
luftfartsloven	lov om luftfart	
lægemiddelloven	lov om lægemidler	
lægeuddannelsesloven	lov om sygehusvæsenets deltagelse i uddannelse inden for kliniske fag ved det lægevidenskabelige studium m.v.	
lønindeholdelsesregisterloven	lov om Det Fælles Lønindeholdelsesregister	
lønsumsafgiftsloven	lov om afgift af lønsum m.v.	
markedsføringsloven	lov om markedsføring	
medieansvarsloven		
miljøbeskyttelsesloven	lov om miljøbeskyttelse	
miljøoplysningsloven	lov om aktindsigt i miljøoplysninger	
miljøskadeerstatningsloven	lov om erstatning for miljøskader	
miljøskadeloven	lov om undersøgelse, forebyggelse og afhjælpning af miljøskader	
mineralolieafgiftsloven	lov om energiafgift af mineralolieprodukter m.v.	
momsloven	lov om merværdiafgift	
mortifikationsloven	lov om mortifikation af værdipapirer	
motoransvarsforsikringsafgiftsloven	lov om afgift af ansvarsforsikringer for motorkøretøjer m.v.	
naturbeskyttelsesloven	lov om naturbeskyttelse	
navneloven		
net- og informationssikkerhedsloven	lov om net- og informationssikkerhed	
offentlighedsloven	lov om offentlighed i forvaltningen	
offererstatningsloven	lov om erstatning fra staten til ofre for forbrydelser	
offshoresikkerhedsloven		
ombudsmandsloven	lov om Folketingets Ombudsmand	
opfinderloven	lov om arbejdstageres opfindelser	
ophavsretsloven	lov om ophavsret	
opkrævnings- og inddrivelsesloven	lov om opkrævning og inddrivelse af visse fordringer	
opkrævningsloven	lov om opkrævning af skatter og afgifter m.v.	
patentloven		
pensionsafkastbeskatningsloven		
pensionsbeskatningsloven	lov om beskatningen af pensionsordninger m.v.	
pensionsloven	lov om social pension	
persondataloven	lov om behandling af personoplysninger	
personskatteloven	lov om indkomstskat for personer m.v.	
pet-loven	lov om Politiets Efterretningstjeneste	
planloven	lov om planlægning	
pokerloven	lov om offentligt hasardspil i turneringsform	
politiloven	lov om politiets virksomhed	
privatvejsloven	lov om private fællesveje	
psykologloven	lov om psykologer m.v.	
pædagogikumloven	lov om pædagogikum i de gymnasiale uddannelser	
radio- og fjernsynsloven	lov om radio- og fjernsynsvirksomhed	
randzoneloven	lov om randzoner	
regionsloven	lov om regioner og om nedlæggelse af amtskommunerne, Hovedstadens Udviklingsråd og Hovedstadens Sygehusfællesskab	
registreringsafgiftsloven	lov om registreringsafgift af motorkøretøjer m.v.	
rejsegarantifondsloven	lov om en rejsegarantifond	
renteloven	lov om renter og andre forhold ved forsinket betaling	
repatrieringsloven		
restaurationsloven	lov om restaurationsvirksomhed og alkoholbevilling m.v.	
retsafgiftsloven	lov om retsafgifter	
retsplejeloven	lov om rettens pleje	
retssikkerhedsloven	lov om retssikkerhed og administration på det sociale område	
retsvirkningsloven	lov om ægteskabets retsvirkninger	
rigsrevisorloven	lov om revisionen af statens regnskaber m.m.	
råstofloven	lov om råstoffer	
rørledningsloven	lov om etablering og benyttelse af en rørledning til transport af råolie og kondensat	
sektorforskningsloven	lov om sektorforskningsinstitutioner	
selskabsloven	lov om aktie- og anpartsselskaber	
selskabsskatteloven	lov om indkomstbeskatning af aktieselskaber m.v.	
serviceloven	lov om social service	servicelov
skatteforvaltningsloven		
skattekontrolloven	lov om skattekontrol	
skibsbesætningsloven	lov om skibes besætning	
skibsmålingsloven	lov om skibsmåling	
slagtekyllingeloven	lov om hold af slagtekyllinger	
socialtilsynsloven	lov om socialtilsyn	
spilleafgiftsloven	lov om afgifter af spil	
spilleloven	lov om spil	
spiritusafgiftsloven	lov om afgift af spiritus m.m.	
sprøjtejournalloven	lov om behandling af oplysninger om brug af plantebeskyttelsesmidler i jordbruget	
sps-loven	lov om specialpædagogisk støtte ved videregående uddannelser	
statsskatteloven	lov om indkomstskat til staten	
stipendieloven	lov om friplads og stipendium til visse udenlandske studerende ved erhvervsakademiuddannelser og professionsbacheloruddannelser	
straffeloven	borgerlig straffelov	
straffuldbyrdelsesloven	lov om fuldbyrdelse af straf m.v.	
stu-loven	lov om ungdomsuddannelse for unge med særlige behov	
su-loven	lov om statens uddannelsesstøtte	
sundhedsloven		
svu-loven	lov om statens voksenuddannelsesstøtte	
sydslesvigloven	lov om Sydslesvigudvalget og tilskudsordninger på undervisningsministerens område for det danske mindretal i Sydslesvig	
sygedagpengeloven	lov om sygedagpenge	
søloven		
sømandsloven	lov om søfarendes ansættelsesforhold m.v.	
søsikkerhedsloven	lov om sikkerhed til søs	
taxiloven	lov om taxikørsel m.v.	
tech-trans-loven	lov om offentlige forskningsinstitutioners kommercielle aktiviteter og samarbejde med fonde	
tilbageholdelsesloven	lov om tilbageholdelse af stofmisbrugere i behandling	
tilbudsloven	lov om indhentning af tilbud på visse offentlige og offentligt støttede kontrakter	
tilsynsloven		
tinglysningsloven	lov om tinglysning	
tjenestemandsloven	lov om tjenestemænd	
tjenestemandspensionsloven	lov om tjenestemandspension	
tobaksafgiftsloven	lov om tobaksafgifter	
tolkeloven	lov om tolkning til personer med hørehandicap	
tonnageskatteloven	lov om beskatning af rederivirksomhed	
tøndermarskloven	lov om beskyttelse af de ydre koge i Tøndermarsken	
udbetaling danmark-loven	lov om Udbetaling Danmark	
udbudsloven		
udlændingeloven		
udstationeringsloven	lov om udstationering af lønmodtagere m.v.	
udstykningsloven	lov om udstykning og anden registrering i matriklen	
undergrundsloven	lov om anvendelse af Danmarks undergrund	
ungdomsskoleloven	lov om ungdomsskoler	
universitetsloven	lov om universiteter	
vagtvirksomhedsloven	lov om vagtvirksomhed	
vandforsyningsloven	lov om vandforsyning m.v.	
vandløbsloven	lov om vandløb	
varemærkeloven		
varmeforsyningsloven	lov om varmeforsyning	
vejbidragsloven	lov om grundejerbidrag til offentlige veje	
vejledningsloven	lov om vejledning om uddannelse og erhverv samt pligt til uddannelse, beskæftigelse m.v.	
vejloven	lov om offentlige veje	
velfærdsloven	lov om Handelsflådens Velfærdsråd	
vfv-loven	lov om erhvervsrettet grunduddannelse og videregående uddannelse (videreuddannelsessystemet) for voksne	
virksomhedsskatteloven	lov om indkomstbeskatning af selvstændige erhvervsdrivende	
vurderingsloven	lov om vurdering af landets faste ejendomme	
våbenloven	lov om våben og eksplosivstoffer	
vægtafgiftsloven	lov om vægtafgift af motorkøretøjer m.v.	
værdipapirhandelsloven	lov om værdipapirhandel m.v.	
værnepligtsloven	lov om værnepligt	
årsregnskabsloven		
åu-loven	lov om åben uddannelse (erhvervsrettet voksensuddannelse) m.v.	
ægteskabsloven	lov om ægteskabs indgåelse og opløsning	
ældreboligloven	lov om boliger for ældre og personer med handicap	
øl- og vinafgiftsloven	lov om afgift af øl, vin og frugtvin m.m.	
"""
