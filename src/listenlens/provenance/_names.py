"""First names common in UK communities, used by redaction to catch names the tagger misses.

Names that are also ordinary English words, months or places ("Grace", "May", "Will", "Jordan",
"Victoria") are left out on purpose: for those, redaction relies on the tagger and on cues.
The list is deliberately broad across the communities listening events reach (English, Irish,
Scottish, Welsh, South Asian, Arabic, Somali, Eritrean, West African, Caribbean, Polish,
Romanian, Lithuanian, Chinese, Vietnamese, Kurdish, Turkish, Portuguese).
"""

from __future__ import annotations

__all__ = ["FIRST_NAMES"]

_RAW = """
aaron abdi abdul abdullah abdullahi abimbola abu ada adaeze adam adebayo adele adeola adil
adrian agnieszka ahmad ahmed aidan aiden aisha alan alberto aleksandra alex alexander
alexandra ali alice alina alison amaal amal amanda amara amelia amina amir amit amy ana
anand andrei andrew andrzej aneta angela anil anita anjali ann anna anne annie anthony anwar
arjun asha ashley asif asma ayaan ayesha ayo babajide baljit barbara barry bartosz beata
ben benjamin bernadette beth bethan bilal bogdan brendan brian bridget callum carl carlos
carmen caroline catherine chanelle charlotte chen chidi chidinma chinedu chioma chloe chris
christine ciaran claire colin connor craig dami daniel darius darren david deborah declan
deepak delroy denise derek dev dilip dimitri dinesh dorota dylan ebony edward efua elaine
eleanor elena elif elizabeth ella emeka emily emma emre eoin eric erin esther ewa fahad faisal
farah farhan farida fatima fatma fatou fatuma femi fiona folake francesca funmi gareth gary
gemma george gheorghe graham gurpreet habib hafsa hamid hamza hana hannah harjit haroon
harpreet harry hassan hawa heather helen hodan hussein ian ibrahim idris ifeoma ikram imran
ioana ion irina isaac isabel ismail iwona jacek jack jacqueline jake james jamal jameela jan
jane janet jasmine jaswinder javed jayden jennifer jessica jiahui joanna jodie john jonathan
joseph joshua joyce julie justyna kamal kamala karen karim kasia katarzyna kate katie kayode
kelechi kelly kemi kevin khadija khalid kirsty krzysztof kuldeep kwame kwabena lakshmi laura
lauren leah lee leon leroy liam lina linda lisa liu lorraine louise lucy luis lukasz maciej
magdalena mahmoud malik mandeep manjit marcin marek margaret maria mariam marie marius marta
martin mary maryam matthew maureen megan mehmet mei michael michelle mihai mohamed mohammad
mohammed mohamud monika muhammad mustafa nadia naeem naomi nasra natalia natasha nathan neil
ngozi nia nicola nicole nikhil nikita nimo nisha niamh noor nuala obinna oksana olga oliver
oluwaseun oluwatobi omar onur osman owen pamela paolo patrick paul paula pauline pawel peter
piotr pooja precious priya priyanka qasim rachel rafael rahul rajesh rakesh ravi rebecca
rhys richard rizwan robert rodrigo rohan ruth ryan sabrina sadia safiya sahra saima sajid
salma samantha samir samira samuel sandeep sandra sanjay sarah saira sean seun shabana
shafiq shahid shamima shanice shazia sharon shauna shirin sinead siobhan sofia sophie
stanislav stefan stephen steven stuart suleiman sunil sunita susan tahir tamika tanvir tariq
teresa thabo thomas tiago tomasz tony tracey tremaine tunde ugne usman valentina vikram
vytautas waleed wei wojciech xin yasmin yusuf yvonne zainab zahra zara zeynep zofia zoe
zubair zuzanna nkechi ngozi yaw kofi akua abena sean padraig moira morag hamish angus eilidh
rhiannon cerys dafydd gwen siew lin huong minh thanh dilan rojda berivan shilan
"""

#: Casefolded first names (see the module docstring for what is left out and why).
FIRST_NAMES: frozenset[str] = frozenset(_RAW.split())
