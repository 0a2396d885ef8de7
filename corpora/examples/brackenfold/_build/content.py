"""What people in Brackenfold say: the utterance bank of the third example corpus, by concern.

Every line was written by hand for listenlens, fresh for this corpus; the valley, its town,
villages, mills, buses, surgeries and people are fictional. ``CORES`` holds what people say
about each concern, through several facets each (dentists are the practice that went private,
the 111 emergency slot, the child who has never had a check-up, pulling your own tooth). A core
may carry a tag naming the communities that would say it (``W|`` the miners' welfare over-60s,
``P|`` the Polish and Romanian families, ``S|`` the men's shed, ``Y|`` the sixth-form panel,
``T|`` the Hagg Lane tenants); untagged lines suit anyone, the 16-18-year-olds included.
``FOLLOW`` holds replies that pick up the last speaker's point, ``BOTH`` turns that raise two
concerns, ``PROMPTS`` the facilitators' questions and ``PROBES`` the pointed follow-up questions
one facilitator asks mid-run.
"""

from __future__ import annotations

#: The ten concerns: id -> (name, one-line plain description).
CONCERNS: dict[str, tuple[str, str]] = {
    "gp-access": ("GP and hospital access",
                  "Getting a GP appointment, phone queues, referrals, and reaching Thornbury "
                  "hospital 40 minutes down the valley."),
    "dentist-access": ("Dentist access",
                       "Finding an NHS dentist, going private, emergency dental care, children "
                       "who have never had a check-up."),
    "mental-health": ("Mental health support for adults",
                      "Help for adults with anxiety, depression or crisis: talking therapies, "
                      "waiting lists, the crisis line, someone to talk to."),
    "cost-of-living": ("Cost of living",
                       "Food, energy and household bills, debt, food banks, not having enough "
                       "to get through the month."),
    "jobs-skills": ("Jobs, skills and work that pays",
                    "Work that pays enough, zero-hours and agency shifts, apprenticeships, "
                    "training and qualifications that count here."),
    "housing-conditions": ("Housing conditions",
                           "Damp and mould, cold homes, repairs, landlords and the housing "
                           "association, rents and overcrowding."),
    "flooding": ("Flooding and the river",
                 "The River Brack flooding homes and roads, insurance, flood warnings, "
                 "drains, clean-up and the fear of the next one."),
    "transport": ("Buses and the valley road",
                  "Bus routes and times, fares, the valley road, school and college buses, "
                  "getting to work or appointments without a car."),
    "school-send": ("School and SEND support",
                    "School, college and sixth form; special educational needs support, "
                    "EHCP assessments, exclusions and help in class."),
    "drugs-alcohol": ("Drugs and alcohol in the town",
                      "Drug dealing and drug use, drinking, canisters and needles in public "
                      "places, and the recovery services."),
}

CORES: dict[str, list[str]] = {
    "gp-access": [
        "You ring the health centre at eight and by ten past every slot's gone, so you ring again "
        "tomorrow.",
        "I was forty-third in the queue on Monday. Forty-third. I put it on speaker and did the "
        "washing up.",
        "They've shut the Scarth branch surgery, so everyone up the top end has to come down to "
        "town.",
        "W|I've not seen the same doctor twice in three years. You tell your whole history every "
        "time.",
        "W|My husband's hearing aid appointment is at Thornbury, and that's a full day out for "
        "twenty minutes.",
        "W|They keep saying use the app. I'm eighty-one, love, I use a kettle.",
        "W|My blood pressure check got cancelled twice and then they wrote to say I'd missed it.",
        "P|At the reception they ask many questions before you see the doctor, and my English "
        "goes when I am nervous.",
        "P|In Poland I would go to a specialist myself. Here everything must go through the GP "
        "and the GP is impossible.",
        "P|They booked an interpreter for my mother and then the interpreter was on the phone "
        "and the line was terrible.",
        "P|My son had a fever for four days and we only got a phone call, nobody looked at him.",
        "S|I waited eleven months for a hernia op. Couldn't lift anything at the shed the whole "
        "time.",
        "S|Men don't go to the doctor round here till something drops off, and when they do go "
        "they can't get in.",
        "S|The prostate check, I only went because my brother nagged me, and it took six weeks "
        "to get the appointment.",
        "Y|My mum's been on the waiting list for her knee for two years and she's still working "
        "on it.",
        "Y|I tried to book myself in for the first time and they said I needed my parent to "
        "ring, but I'm seventeen.",
        "Y|The GP just gives you a leaflet with a QR code. That's the whole appointment.",
        "T|The health centre's a good walk from Hagg Lane and there's no bus that goes past it.",
        "T|My neighbour's been waiting on a hospital letter since March and when she rang they'd "
        "lost the referral.",
        "If you need A and E it's Thornbury, forty minutes on the valley road if it's clear.",
        "The ambulance took over two hours to come for my dad. He was on the kitchen floor the "
        "whole time.",
        "You get triaged by a form now. A form decides if you're poorly enough.",
        "The receptionists are only doing what they're told, but they're the ones who get the "
        "grief.",
        "Half the time it's a phone call, not seeing anybody. They can't see a rash down the "
        "phone.",
        "Referrals just vanish. You ring the hospital, they say ring the GP, the GP says ring "
        "the hospital.",
        "Doctors.",
        "There's a pharmacist at the Co-op who's been better than the doctor, to be honest.",
        "WST|My prescription should be repeat but every month it's a battle to get it signed off.",
        "They've closed the list to new patients, so people moving in can't even register.",
        "The walk-in centre in Thornbury shuts at eight, and after that it's A and E or nowt.",
        "WPT|I had a lump checked, it was fine in the end, but the waiting for the scan was the "
        "worst seven weeks of my life.",
        "Going to Thornbury for a scan means a day off work I don't get paid for.",
        "It's a lottery which doctor you get and a lottery whether you get one at all.",
    ],
    "dentist-access": [
        "There isn't an NHS dentist in Brackenfold taking anyone on. Not one.",
        "The Market Street dentist went private and sent a letter saying it's fifteen pounds a "
        "month or goodbye.",
        "I pulled my own tooth last winter. I'm not proud of it.",
        "Dentist.",
        "You ring 111 with toothache and they give you a slot in Thornbury at half seven in the "
        "morning.",
        "W|I had my dentures done on the NHS for years and now nobody'll reline them.",
        "W|My teeth have been that bad I've gone on soup. That's not a life.",
        "W|The dentist I'd been with for thirty years retired and the practice just closed its "
        "NHS list overnight.",
        "P|We go to the dentist in Poland when we go home for summer. It's cheaper with the "
        "flights than here.",
        "P|My daughter is seven and she never had a check-up in England, not once.",
        "P|I was on the waiting list for a dentist for two years, then they wrote to say the "
        "list is closed.",
        "S|I've had a broken filling for a year. I just chew on the other side.",
        "S|Private dentist quoted me nine hundred for a crown. I said I'll have it out then.",
        "S|Lads at the shed are pulling their own teeth with pliers, that's where we've got to.",
        "Y|I haven't seen a dentist since primary school, the one we had stopped doing NHS.",
        "Y|I've got a brace half done because the orthodontist closed and nobody picked me up.",
        "Y|School did a teeth thing in year seven and that's the last time anyone looked.",
        "T|My little one's got black teeth at four and we can't get her seen.",
        "T|The dentist in Thornbury said they'd see my kids but not me, NHS only for under "
        "eighteens.",
        "It's a hundred and fifty pounds just for them to look at you private.",
        "You'd think teeth were a luxury, the way it's gone.",
        "I drove to a dentist in another county because they had NHS spaces, two hours each way.",
        "The emergency dentist will pull it but won't fill it, so you lose teeth you could have "
        "kept.",
        "My gums bleed and I know I should be seen, but where?",
        "WPT|We've got a dental plan for the kids and we go without ourselves.",
        "Everyone I know is either on a waiting list or just not bothering.",
        "There's a dental bus that came twice to the market square and then never again.",
        "I smile with my mouth shut now, in photos and that.",
        "They tell you to ring round. I rang round. Fourteen practices.",
    ],
    "mental-health": [
        "I was referred for talking therapy and the letter said the wait is nine months.",
        "When you're in a bad way and they give you a number to ring, it's the last thing you "
        "can face doing.",
        "The crisis line rang out. Then it said call back later.",
        "I've been on tablets for two years and nobody's reviewed them, I just collect them.",
        "W|Since Frank went I've had some very dark days, and I don't know who you'd even tell.",
        "W|Our generation didn't talk about nerves. We just got on. I'm not sure that was right.",
        "W|After the pit shut half the men I worked with went to pieces, and there was nothing "
        "for them then either.",
        "P|My husband works, comes home, sits in silence. In our culture men don't say they are "
        "depressed.",
        "P|I would like to talk to someone in Polish. In English I can't explain what is in my "
        "head.",
        "P|When I first came I cried every day for a year and I thought it was normal.",
        "S|The shed's the only thing that's kept me going since the divorce, and I mean that.",
        "S|Three lads from round here have taken their own lives in five years. Three.",
        "S|I went to the GP about my head and came out with a leaflet about mindfulness.",
        "S|You can talk at the bench in here, side by side, in a way you can't across a table.",
        "S|After the redundancy I didn't leave the house for weeks. My wife got me here in the "
        "end.",
        "Y|When you turn eighteen you drop off CAMHS and the adult service has a two-year wait, "
        "so you're just in limbo.",
        "Y|My dad's really struggled with his mental health and there's nothing in the valley "
        "for him.",
        "Y|People my age talk about it more, but talking about it doesn't get you a counsellor.",
        "T|There's a lot of people on this estate who don't open the curtains.",
        "T|My neighbour's been sectioned twice and both times he came back to the flat with no "
        "support at all.",
        "Anxiety.",
        "The Valley Minds drop-in was brilliant and then the funding ended.",
        "I had six sessions of counselling. Six. It took longer than that to trust her.",
        "There's nowhere to go at two in the morning when it's at its worst.",
        "I self-referred online and got an automated email, and that was it.",
        "People say reach out. Reach out to who?",
        "A and E isn't the place when it's your head that's broken, they don't know what to do "
        "with you.",
        "WST|I'd never have said this a few years ago, but I've had panic attacks on the bus.",
        "It's the stigma still. In a small town everyone knows if you're seeing someone.",
        "I'm better than I was. Not right, but better, and no thanks to the system.",
    ],
    "cost-of-living": [
        "The gas and electric's more than the rent now some months.",
        "Food shop's gone from sixty to ninety-odd and I'm buying less.",
        "I turn the heating on for the grandkids coming and that's it.",
        "W|My pension goes in and straight back out again on bills.",
        "W|I've started going to the warm room at the library just to save putting the fire on.",
        "W|The winter fuel money went and I felt that, I'll be honest.",
        "P|We both work and we still go to the food bank at the end of the month.",
        "P|My family in Romania thinks we are rich because we live in England. We are not rich.",
        "P|Childcare costs more than I earn, so I stay home and we have one wage.",
        "S|A lot of the lads at the shed are on a pension or the sick, and they're rationing "
        "everything.",
        "S|I've stopped driving anywhere I don't have to. Fuel's daylight robbery.",
        "S|The price of a pint's why half of them don't go to the club any more.",
        "Y|I give my mum some of my wages from the chippy now, just to help with the bills.",
        "Y|Everyone's skint. Even going into Thornbury for the day costs about twenty quid.",
        "Y|My bus pass costs more than my phone contract.",
        "T|Half the estate's on prepayment meters and you can hear the beeping when they run out.",
        "T|Universal Credit doesn't stretch. Five weeks you wait and then it's gone in two.",
        "T|I've got catalogue debt, a loan off my sister, and an overdraft. That's just to stand "
        "still.",
        "Skint.",
        "The food bank at the Methodist chapel's busier than it's ever been.",
        "I'm doing the shopping with a calculator on my phone.",
        "Council tax went up again and for what, they don't even empty the bins on time.",
        "You buy the reduced stuff at half six and freeze it. That's dinner for the week.",
        "It's not luxuries, it's milk and bread that's gone up.",
        "I'm not heating the upstairs. We live in the front room now.",
        "WPST|The water bill nearly doubled and we don't use any more water than we did.",
        "It's the little things, you can't say yes to a birthday party because of the present.",
        "Every month I think it'll settle down and every month something else goes up.",
        "I went without my tea so the kids could have theirs. More than once.",
        "Things that were a treat are now just things you don't do.",
    ],
    "jobs-skills": [
        "The jobs round here are warehouse, care, or the chicken factory, and none of them pay.",
        "I'm on a zero-hours contract at the distribution centre. Some weeks twelve hours, some "
        "weeks fifty.",
        "The mill jobs went forty years ago and nothing came in to replace them.",
        "W|My grandson's got a degree and he's stacking shelves in Thornbury.",
        "W|When the pit was going a lad left school on the Friday and started work on the "
        "Monday. Now what?",
        "W|My granddaughter does three cleaning jobs to make one wage.",
        "P|I was a nurse in Romania and here I am a care assistant, because they don't accept my "
        "papers.",
        "P|The agency gives us nights, weekends, always the worst shifts, because we don't "
        "complain.",
        "P|My English course at the college stopped, so I can't get the better job.",
        "S|I was a joiner thirty years and now I'm too old, they say, for the site work, too "
        "skilled for the rest.",
        "S|Got laid off from the quarry in 2020 and I've had nothing steady since.",
        "S|We've got men here who can do anything with their hands, and nobody'll employ them "
        "because they haven't got a bit of paper.",
        "Y|Everyone says do an apprenticeship, but there's about three in the whole valley and a "
        "hundred of us want them.",
        "Y|If you want a proper career you have to leave. That's what everyone says to us.",
        "Y|My part-time job pays less than my mate's in Leeds for the same thing.",
        "Y|Careers advice is one lady once a year and she just tells you about the army.",
        "T|There's no point getting a job for sixteen hours if it messes your Universal Credit up.",
        "T|My lad applied for forty jobs and got two replies, both no.",
        "Work.",
        "The new units on the industrial estate were meant to bring jobs. They're still empty.",
        "Minimum wage and forty minutes each way on the bus, by the time you've paid the fare "
        "you're barely up.",
        "Training courses are all online now, and they don't lead anywhere here.",
        "They want experience for entry-level jobs. How do you get experience?",
        "WST|If the warehouse shuts, half this town goes under.",
        "I've done every course the jobcentre sent me on. I could do a CV in my sleep.",
        "Good jobs exist but they're in Manchester or Leeds, not here.",
        "There's loads of work, it just doesn't pay enough to live on.",
        "Nobody stays in a care job because they're paid less than the supermarket.",
        "The college cut the plumbing course and that was the one everyone wanted.",
        "You can't plan a life on a contract that changes every week.",
    ],
    "housing-conditions": [
        "The mould comes back every winter however much bleach you throw at it.",
        "Our windows are that old the wind lifts the curtains.",
        "I reported the leak in the bathroom ceiling in February and it's still dripping.",
        "W|These stone terraces were built for millworkers, not for warmth.",
        "W|My bungalow's fine but I need a rail by the back step and the council says a year.",
        "W|We've been in the same house fifty years and I've never seen the landlord do "
        "anything.",
        "P|Six of us in a two-bedroom flat, and the landlord says he's doing us a favour.",
        "P|When we ask for repairs the landlord says maybe you should find another house.",
        "P|The agent took our deposit and said it's for cleaning, and the house was dirty when we "
        "came.",
        "S|I'm in a bedsit over the bookies. The wiring scares me.",
        "S|I do my own repairs because waiting for the landlord's a mug's game.",
        "Y|My bedroom wall is black in the corner, I sleep with my head the other way.",
        "Y|There's nowhere to rent for young people, so everyone stays at home till thirty.",
        "T|The housing association sends a contractor, he looks, says he'll order a part, and "
        "never comes back.",
        "T|They painted over the mould before the inspection. Painted over it.",
        "T|The lifts in Calder House have been broken since Easter and there's people on the "
        "sixth floor with walking frames.",
        "T|Repairs line says twenty-eight days. It's been twenty-eight weeks.",
        "T|The estate's had no investment since the eighties, you can see it from the road.",
        "Damp.",
        "My little one's chest has been bad all winter and the doctor says it's the mould.",
        "You pay a private landlord eight hundred for a house with a boiler that goes off every "
        "week.",
        "The back bedroom's got a crack you can put your hand in.",
        "There's a waiting list for council houses that's longer than my whole life.",
        "WPST|The landlord put the rent up a hundred and twenty and didn't fix a single thing.",
        "Cold homes.",
        "Condensation running down the windows every morning, you wipe it off with a towel.",
        "Every time you ring they give you a new reference number and start again.",
        "I've got a bucket under the landing ceiling for when it rains.",
        "The slugs come in under the kitchen door. In a rented house, in this day and age.",
        "It's not just damp, the whole place is tired, and nobody's spending on it.",
    ],
    "flooding": [
        "When the Brack comes up, it comes up fast. We had forty minutes' warning and it was in "
        "the kitchen.",
        "The insurance after the flood went from three hundred a year to two thousand. We can't "
        "pay that.",
        "Every time it rains heavy I'm up at three in the morning looking out at the river.",
        "W|I've lived by the river seventy years and it never used to come up like this.",
        "W|We lost every photo of our wedding in the cellar. You can't claim for that.",
        "W|The sandbags came the day after. The day after.",
        "P|We did not know this street floods. The landlord did not tell us.",
        "P|The flood warning text was in English only and my mother did not understand it.",
        "S|We were bailing out the shed for a week after the flood, lost all the tools.",
        "S|The culvert under Mill Lane's been blocked for years, anyone could've told them.",
        "S|There's no point dredging one bit and leaving the rest, it just moves the water on.",
        "Y|Our school was shut for three days because the road to it was flooded.",
        "Y|My friend's family lived in a hotel for six months after the flood. She did her "
        "mocks from there.",
        "T|The drains on Hagg Lane back up every time, and it's not river water coming up, it's "
        "sewage.",
        "T|The bottom flats got flooded and the housing association took four months to dry "
        "them out.",
        "The river.",
        "Nobody's cleared the gullies on the top road since the autumn, and all the water comes "
        "down off the moor into the town.",
        "They built that new estate on the water meadows, and now where does the water go?",
        "The flood defence scheme has been coming for ten years. Ten years.",
        "It's the smell afterwards. Everything smells of the river for months.",
        "My kids get scared now when it rains at night. They ask if we have to move upstairs "
        "again.",
        "We had the flood in 2015, and then in February again, and each time you think that's "
        "it.",
        "The council gave us five hundred pounds. The damage was thirty thousand.",
        "The shops on Bridge Street have never come back since the flood, half of them are "
        "still boarded.",
        "WPST|You can't sell the house now. Who'd buy a house that floods?",
        "They told us to sign up for flood alerts, but the alert came after the water did.",
        "Nobody's looking after the river upstream, all that tree felling on the tops.",
        "When it floods the whole town just stops, there's no way in or out.",
    ],
    "transport": [
        "The X9 is meant to be every half hour and it's more like whenever it feels like it.",
        "Last bus up to Hebble Top is twenty past six. If you work till six, tough.",
        "They cut the Sunday service altogether. So you don't go anywhere on a Sunday.",
        "W|My bus pass doesn't start till half nine, so any early appointment I'm paying.",
        "W|The bus shelter on the top road's been smashed for a year and I'm stood in the rain "
        "at my age.",
        "W|The community car scheme was wonderful but they've no drivers left.",
        "P|Without a car here you are stuck. In the city in Poland I never needed a car.",
        "P|I passed my test in Romania and here I must take it again, and the lessons cost a "
        "fortune.",
        "S|If the valley road shuts there's no other way out. We're a cul-de-sac with a river.",
        "S|I can't drive since my eyes went and it's like being under house arrest.",
        "Y|The college bus leaves Thornbury at four, and if you've got a lesson till five you're "
        "walking to the main road.",
        "Y|It's two buses to the college and if the first one's late you miss the second.",
        "Y|My mum does a forty-minute round trip twice a day just so I can get to sixth form.",
        "Y|There's no late bus back from Thornbury, so you can't do anything after school there.",
        "T|The 27 doesn't come onto the estate any more, you walk down to the main road.",
        "T|Taxis won't come up Hagg Lane after dark, they say it's not worth the hassle.",
        "Buses.",
        "Ten minutes late, twenty minutes late, or it just doesn't turn up and the app still "
        "says it's coming.",
        "It's nearly four pounds single to Thornbury and that's with the cap.",
        "The valley road's got roadworks every other month and the buses just divert round "
        "them, skipping the villages.",
        "When the bus is cancelled nobody tells you. You just stand there.",
        "If you're in a wheelchair you might get the one bus with the ramp that works, if "
        "you're lucky.",
        "The train station closed in the sixties and we've been waiting for it back since.",
        "It takes me longer to get to Thornbury by bus than it takes my cousin to get to "
        "London.",
        "WPST|Petrol for the car is costing me more than I want to think about, but there's no "
        "alternative out here.",
        "The timetable changed and nobody told anyone, they just took the old one down.",
        "The bus goes all round the houses, an hour and ten to do eleven miles.",
        "We need a bus that goes where people actually need to go, not just up and down the "
        "valley.",
    ],
    "school-send": [
        "My son's autistic and the school says they can't meet his needs but won't do anything "
        "about it.",
        "We've been waiting for an EHCP assessment for fourteen months. The legal limit's "
        "twenty weeks.",
        "He's been on a part-time timetable for a year, two hours a day. That's not an "
        "education.",
        "W|My grandson's got dyslexia, and it was me who spotted it, not the school.",
        "W|My daughter had to give up work to home-school the little one because the school "
        "couldn't cope with him.",
        "P|At school they told us our daughter is slow because of English. It was not English, "
        "she is dyslexic.",
        "P|The letters from school are full of words we don't know, SENCO, EHCP, nobody "
        "explains.",
        "P|My son was excluded three times and nobody asked why he was so angry.",
        "S|I left school at fifteen not able to read properly and nobody noticed. Fifty years "
        "later it's the same for my grandson.",
        "S|There's lads at the shed now who never got diagnosed with anything and it's blighted "
        "their whole lives.",
        "Y|There's one teaching assistant for the whole of year twelve SEND and she's amazing "
        "but she's one person.",
        "Y|If you've got ADHD they just move you to the back of the class.",
        "Y|They cut A level music and psychology, so now the sixth form only does the options "
        "they can staff.",
        "Y|The exam access arrangements took so long mine got sorted a week before the exams.",
        "Y|Sixth form's fine if you're going to uni, there's nothing for anyone who isn't.",
        "Y|My little brother is non-verbal and his school is in Thornbury, he's in a taxi an "
        "hour each way.",
        "T|The school keeps ringing me to come and fetch him. I've lost two jobs over it.",
        "T|Half the kids on this estate are on reduced timetables, nobody's counting them.",
        "School.",
        "The special school's full, so kids who need it are stuck in mainstream, failing.",
        "You have to fight for everything. If you don't know the system, your child loses out.",
        "The teachers are lovely but there's thirty-two in the class and nobody to help.",
        "There's a waiting list for the ADHD assessment that's two years long.",
        "The SENCO's also a class teacher and the deputy head. How's that meant to work?",
        "They said he's doing fine at school, and then he was hiding under the table at home "
        "every night.",
        "WPT|I had to pay for a private assessment in the end. Eight hundred pounds.",
        "The transition from primary was a disaster, nobody passed anything on.",
        "Attendance letters for a child who's too anxious to get through the gate. That's what "
        "we get.",
    ],
    "drugs-alcohol": [
        "You can't walk through the park without stepping over nitrous canisters.",
        "There's dealing openly by the bus station in broad daylight.",
        "Spice has hit this town hard. You see them stood there like statues.",
        "W|I found a needle in the planter outside the welfare hall. In the planter.",
        "W|My grandson's mixed up with something and I don't know who to tell.",
        "W|We always had drinking round here, pit towns do, but not drugs like this.",
        "P|Near our house there are cars stopping every ten minutes, people come, money, go.",
        "P|I worry about my son, sixteen, they offer him things outside the chip shop.",
        "S|I've been dry four years. The recovery group in Thornbury saved my life, but it's a "
        "bus and a half away.",
        "S|Half the lads who come here have had a problem with drink at some point. It's the "
        "valley.",
        "S|The off-licence on Bridge Street opens at seven in the morning. Think about who "
        "that's for.",
        "Y|Vapes are everywhere at school, the toilets are basically a cloud.",
        "Y|People in my year are dealing. Everyone knows who.",
        "Y|There's kids getting picked up by older lads in cars and everyone knows what it is.",
        "T|The flat below us is a drug den, and we've reported it eleven times.",
        "T|Kids are being used as runners, thirteen, fourteen, on bikes.",
        "T|The stairwell in our block smells of weed every night and there's foil on the steps.",
        "Drugs.",
        "The Step Forward hub has lost half its staff, so there's a waiting list just to get "
        "help with your drinking.",
        "People drinking from cans on the benches from ten in the morning.",
        "The police say it's a priority but we never see them.",
        "County lines, that's what they call it, lads from the cities using our kids.",
        "When someone wants to stop, there should be help that day, not in six weeks.",
        "WPST|I lost my brother to it. Heroin. He was forty-four.",
        "There was a death in the underpass last winter and nothing's changed.",
        "The pubs have shut and people drink at home now, on their own, and that's worse.",
        "It's not the kids' fault, there's nothing for them and someone offers them money.",
        "The detox beds are in Manchester and you wait months for one.",
    ],
}

#: Replies that pick up the last turn on the same concern (someone agreeing and adding to it).
FOLLOW: dict[str, list[str]] = {
    "gp-access": [
        "Aye, and then it's a phone call at a time you can't take it.",
        "Same, I gave up after the third morning.",
        "And the online form shuts at half eight as well.",
        "That's right, and the Scarth lot have got no car either.",
    ],
    "dentist-access": [
        "We're the same, we've been on that list for ever.",
        "Aye, and the private one wanted paying up front.",
        "My sister went to Poland for hers in the end.",
    ],
    "mental-health": [
        "Nine months, I was told a year.",
        "Yes, and you're meant to just hold on till then.",
        "That's it, nobody checks in on you.",
    ],
    "cost-of-living": [
        "Same here, we've had the heating off since the kids went back to school.",
        "And the prepayment's dearer than the normal rate, which is criminal.",
        "Aye, it's everything at once.",
        "We're the same with the food shop.",
    ],
    "jobs-skills": [
        "That's it, nobody wants to train anyone.",
        "My lad's the same, straight to the agency.",
        "And they cancel your shift the night before.",
    ],
    "housing-conditions": [
        "Ours is the same, black behind the wardrobe.",
        "Aye, they came out to ours and just took photos.",
        "And they blame you for drying washing indoors.",
        "Exactly, and you can't open the windows either, they're painted shut.",
    ],
    "flooding": [
        "We're still not back in the front room.",
        "Aye, and the insurance lot were worse than the water.",
        "Same street, we were up all night with the pumps.",
    ],
    "transport": [
        "And the X9's worse on a Saturday.",
        "Aye, I've stood there an hour.",
        "Same, I'm walking half of it now.",
        "That's my bus as well, it's hopeless.",
    ],
    "school-send": [
        "Same, we were told to wait another term.",
        "Yes, you have to shout to get anything.",
        "And then they lose the paperwork.",
    ],
    "drugs-alcohol": [
        "Aye, behind the Co-op as well.",
        "And they're younger every year.",
        "Same on our block, every night.",
    ],
}

#: Short reactions that suit any concern (said many times, as in any meeting).
REACTIONS = ["Same.", "Aye, that.", "Yeah.", "Too right.", "Aye.", "Same for us.", "Mm.",
             "That's it exactly.", "Tell me about it.", "Same with ours.", "Yeah, that."]

#: Turns that raise two concerns: (first, second) -> what is said; the first is the main one.
BOTH: dict[tuple[str, str], list[str]] = {
    ("transport", "gp-access"): [
        "My appointment at Thornbury was at twenty to nine and the first bus down the valley "
        "gets in at quarter past.",
        "It's two buses and ninety minutes to the hospital, and they'll cancel you if you're "
        "ten minutes late.",
        "The X9 doesn't stop at the health centre, so it's a walk up the hill with my bad hip.",
    ],
    ("gp-access", "transport"): [
        "They sent me to the Scarth surgery for my bloods, and there's no bus up there at all "
        "after the morning.",
        "The GP sent me to Thornbury for an X-ray the same day, and I had no way to get there.",
    ],
    ("gp-access", "dentist-access"): [
        "I went to the GP with toothache because I've no dentist and they said it's not their "
        "job.",
        "The doctor gave me antibiotics for my tooth, twice, because there's no dentist to fix "
        "it.",
    ],
    ("gp-access", "mental-health"): [
        "The GP said my anxiety needs a referral, but you can't get a GP appointment to get "
        "the referral.",
        "I finally got in to see someone about my depression and it was a locum who'd never met "
        "me, ten minutes.",
    ],
    ("dentist-access", "cost-of-living"): [
        "A private filling was a hundred and ten pounds, that's the food shop for the week.",
        "I can either pay for the dentist or the electric this month. The tooth can wait.",
    ],
    ("mental-health", "drugs-alcohol"): [
        "I started drinking to get to sleep when I was down, and then it was the drinking that "
        "needed help.",
        "They won't treat your depression while you're drinking and they won't treat your "
        "drinking while you're depressed.",
    ],
    ("drugs-alcohol", "mental-health"): [
        "Most of them using on the bench have got mental health problems nobody ever dealt with.",
        "The recovery hub had a counsellor once a week and she was the only one who listened.",
    ],
    ("jobs-skills", "cost-of-living"): [
        "I do forty hours at the warehouse and I still can't cover the bills.",
        "Agency work means you never know what's coming in, so you can't budget for anything.",
        "They gave us a pay rise of thirty pence and the rent went up forty pound.",
    ],
    ("cost-of-living", "housing-conditions"): [
        "You can't afford to heat a house that's got holes in the windows, the heat goes straight "
        "out.",
        "The damp means the heating's on more, and the heating costs a fortune, so it's both "
        "ways.",
    ],
    ("housing-conditions", "flooding"): [
        "After the flood the walls never dried properly, and now it's mould up to the sockets.",
        "The landlord just put new carpet over the flood damage and the floor's still soft.",
    ],
    ("flooding", "housing-conditions"): [
        "Our cellar floods every winter now and the landlord says it's an act of God.",
        "We were flooded out and they moved us to a flat that was worse than the flooded one.",
    ],
    ("flooding", "transport"): [
        "When the river's up they shut the valley road, and there's no bus, no nothing, you're "
        "cut off.",
        "The bridge at Lumb was shut for four months after the flood and the bus went the long "
        "way round.",
    ],
    ("transport", "jobs-skills"): [
        "The warehouse shifts start at six and there's no bus before seven, so you need a car "
        "to get the job.",
        "I was offered a job in Thornbury but I'd have had to get there for eight and the "
        "buses don't do it.",
    ],
    ("jobs-skills", "transport"): [
        "There's apprenticeships in Thornbury, but it's two buses and you're on apprentice "
        "wages.",
    ],
    ("school-send", "mental-health"): [
        "My son's school refusal is anxiety, and the school's answer is a fine.",
        "They won't assess her for autism until the mental health team's seen her, and the "
        "mental health team's got a year's wait.",
    ],
    ("school-send", "transport"): [
        "The school bus stops at the bottom of the valley, so the kids from Owlcotes walk a "
        "mile on a road with no pavement.",
        "The SEND transport got changed and now he's in a taxi with a different driver every "
        "week, and he can't cope with that.",
    ],
    ("drugs-alcohol", "housing-conditions"): [
        "The empty flats on our block are where they go to use, and nobody boards them up.",
        "They put people straight out of prison into the flat next door with no support and "
        "the dealing started the week after.",
    ],
}

#: What people sometimes add after what they said, by concern (short, in the speaker's voice).
TAILS: dict[str, list[str]] = {
    "gp-access": ["It's a shambles.", "I don't know what the answer is.", "You give up."],
    "dentist-access": ["It's shocking, really.", "And they call it a health service.",
                       "It's third world."],
    "mental-health": ["There's nowt.", "It's hard to say out loud.", "People are suffering."],
    "cost-of-living": ["It's grinding.", "We're just about keeping our heads up.",
                       "Everyone's feeling it."],
    "jobs-skills": ["There's no future in it.", "It's a dead end.", "What chance have you got?"],
    "housing-conditions": ["You wouldn't keep an animal in it.", "It's disgusting.",
                           "We're paying for that."],
    "flooding": ["It never leaves you.", "And it'll happen again.", "It's frightening."],
    "transport": ["It's a nightmare.", "Useless.", "And that's when it runs."],
    "school-send": ["It's exhausting.", "It's the kids who suffer.", "It's a battle."],
    "drugs-alcohol": ["It's getting worse.", "It's everywhere.", "Somebody needs to act."],
}

#: How people start talking when they speak (never in notes, walls or surveys).
OPENERS = ["Er, ", "Well, ", "Right, ", "Look, ", "I'll be honest, ", "Thing is, ", "So, ",
           "Aye, well, ", "Hmm. ", "Like, ", "I was going to say, ", "Put it this way, "]

#: Ways of referring back to an earlier speaker of the same stretch of talk.
REFER = ["Going on from {name}, ", "{name} said it, ", "Picking up on {name}'s point, ",
         "Like {name}, ", "Same as what {name} were saying, "]

#: Facilitators' prompts that open a stretch of talk on a concern, and the heading the
#: note-taker gives it (full and terse), and the pointed follow-up questions (``PROBES``).
PROMPTS: dict[str, list[str]] = {
    "gp-access": ["Let's talk about the doctors. What happens when you need one?",
                  "How long does it take you to be seen when you're poorly?",
                  "Tell me about the health centre and the hospital."],
    "dentist-access": ["Who here has an NHS dentist at the moment?",
                       "What about your teeth, can you get them looked at?"],
    "mental-health": ["When things get on top of you, where do you turn?",
                      "What help is there if someone's struggling in their head?"],
    "cost-of-living": ["How are people coping with the bills this winter?",
                       "What's money like for you at the moment?",
                       "What's gone up that's hurting most?"],
    "jobs-skills": ["What's work like round here? Is there any that pays?",
                    "What about jobs and training for people here?"],
    "housing-conditions": ["What state are your homes in?",
                           "What's the landlord or the housing association like with repairs?"],
    "flooding": ["Can we talk about the river and the floods?",
                 "How has the flooding affected you?"],
    "transport": ["How do you get about without a car?",
                  "What are the buses and the valley road like for you?"],
    "school-send": ["What about school, and help for children who need extra support?",
                    "How is school going, for you or your kids?"],
    "drugs-alcohol": ["What about drink and drugs in the town?",
                      "Is drug dealing something you see round here?"],
}
PROBES: dict[str, list[str]] = {
    "gp-access": ["{name}, how many mornings did you ring before you got through?",
                  "And who did you complain to, {name}, if anyone?"],
    "dentist-access": ["{name}, when were you last actually seen by a dentist?",
                       "Be honest, {name}, would you pay private if you could?"],
    "mental-health": ["{name}, did anyone follow up after you asked for help?"],
    "cost-of-living": ["{name}, what's the one bill that frightens you most?",
                       "Has anyone been to the council about it, {name}?"],
    "jobs-skills": ["{name}, what would a decent job have to pay, for you?"],
    "housing-conditions": ["{name}, how long since you first reported it? Give me a date.",
                           "Have you got it in writing, {name}?"],
    "flooding": ["{name}, did the warning reach you in time, yes or no?"],
    "transport": ["{name}, how often does it not turn up, say in a week?",
                  "What time is your last bus, {name}?"],
    "school-send": ["{name}, has the school put anything in writing?"],
    "drugs-alcohol": ["{name}, have you reported it, and what happened?"],
}
HEADINGS: dict[str, str] = {
    "gp-access": "Doctors and the hospital", "dentist-access": "Dentists",
    "mental-health": "Mental health", "cost-of-living": "Bills and prices",
    "jobs-skills": "Jobs and training", "housing-conditions": "Homes and repairs",
    "flooding": "The river and flooding", "transport": "Buses and the valley road",
    "school-send": "Schools and SEND", "drugs-alcohol": "Drink and drugs",
}
TERSE_HEADINGS: dict[str, str] = {
    "gp-access": "GP", "dentist-access": "Dentist", "mental-health": "MH",
    "cost-of-living": "Money", "jobs-skills": "Work", "housing-conditions": "Repairs",
    "flooding": "Flood", "transport": "Buses", "school-send": "Schools", "drugs-alcohol": "Drugs",
}
#: The note-taker's own lines under a heading (``Agreed:`` / ``Action:`` are not people).
SUMMARY: dict[str, list[str]] = {
    "gp-access": ["Agreed: ask the health centre to come to the next meeting.",
                  "Action: write to the practice manager about the eight o'clock queue."],
    "dentist-access": ["Action: find out which practices still take NHS patients."],
    "mental-health": ["Agreed: put the crisis numbers on the noticeboard."],
    "cost-of-living": ["Action: invite the debt advice worker back.",
                       "Agreed: keep the warm room going on Tuesdays."],
    "jobs-skills": ["Action: ask the college about short courses in the valley."],
    "housing-conditions": ["Action: collect repair reference numbers and chase them together.",
                           "Agreed: photos of damp to the councillor."],
    "flooding": ["Action: ask the council for the flood scheme timetable."],
    "transport": ["Action: raise the X9 timetable with the bus company.",
                  "Agreed: a petition for a later last bus."],
    "school-send": ["Agreed: a parents' session with the SEND advice service."],
    "drugs-alcohol": ["Action: pass the dealing reports to the neighbourhood officer."],
}

#: Housekeeping: the facilitator's opening (in a room / online), the middle and the close, and
#: participants' asides; the quiet facilitator's few words.
OPEN_ROOM = ["Right then, let's get going. Tea's in the urn, help yourselves.",
             "Evening, all. Thanks for turning out on a wet night.",
             "Okay, we'll make a start. First names only on the recording, as usual.",
             "Shall we begin? The fire exit's behind the stage if we need it."]
OPEN_ONLINE = ["Hello, can everyone see the screen? Just shout if not.",
               "We'll wait a couple of minutes while people come in from the waiting room.",
               "Please put your hand up in the chat if you want to come in.",
               "We are recording, for the notes only, and first names only."]
MIDDLE = ["Let's have ten minutes, there's biscuits at the back.",
          "Right, we've a lot to get through, so let's keep it moving.",
          "That's really useful, thank you.",
          "Has anyone not had a chance to say something yet?",
          "Hang on, can we have one at a time?"]
CLOSE = ["That's us for tonight. Thank you, I'll get the notes out in a fortnight.",
         "Thanks, everybody. We'll take all this to the council and report back.",
         "Right, I'll stop the recording there. Thank you for your time."]
ASIDES = ["Sorry, the door sticks.", "Is that the heating ticking or is it me?",
          "Has somebody's car got its lights on outside?", "Can you speak up a bit? I'm at the "
          "back.", "Sorry, I'm on my phone, the Wi-Fi's dropped.", "Whose is the dog?",
          "You've gone all pixelated.", "I'll need to go by eight, I'm on an early.",
          "Is there sugar?"]
QUIET = ["Go on.", "Anyone else?", "Mm.", "Right."]
HELLO = ["Evening.", "Hiya.", "Now then.", "Hi, yeah, I can hear you.", "All right?"]

#: How someone moves on to a second point when a turn or an answer covers two concerns.
AND_ALSO = ["And ", "On top of that, ", "And while we're on, ", "Also, ",
            "And the other thing is, "]


#: More lines, written after a first build showed where the bank ran thin.
_MORE: dict[str, list[str]] = {
    "cost-of-living": [
        "W|I've cancelled the paper. Fifty years I've had that paper.",
        "W|My son brings me a bag of shopping on a Sunday, and I hate that he has to.",
        "P|We buy the big bags of rice and flour at the Polish shop and we eat the same every "
        "day.",
        "P|When the boiler broke we had no savings, so we borrowed from a man at work, and now "
        "we pay him back every week.",
        "S|I sold my van. Couldn't afford to run it, couldn't afford to be without it either.",
        "Y|School trips are out of the question for loads of people, it's like two hundred quid "
        "for the geography one.",
        "Y|My mum skips meals, she thinks I don't notice.",
        "T|The council's sent a bailiff letter for eighty pounds of council tax arrears. "
        "Eighty.",
        "T|You can see who's struggling, the kids come to the fun day and go straight to the "
        "food.",
        "Everything's on the card now and the card's nearly maxed out.",
        "I've started doing batch cooking with the lentils from the food bank. There's only so "
        "much lentil a person can eat.",
        "The bills come in and I put them in a drawer, I can't look at them.",
    ],
    "gp-access": [
        "W|The district nurse used to pop in. Now you have to go to them, and how am I meant "
        "to do that?",
        "P|The doctor says paracetamol for everything. In Romania they would at least do a "
        "blood test.",
        "S|My wife made the appointment for me in the end, and I sat in the car park for twenty "
        "minutes before I went in.",
        "Y|I needed a sick note for college and it took nine days to get one.",
        "T|The health centre's phone message is four minutes long before it even puts you in "
        "the queue.",
        "They've got a new physician associate and nobody knows if she's a doctor or not.",
        "My mum's had four different diagnoses from four different doctors on the phone.",
        "You ring for a same-day and they say ring back tomorrow at eight. That's not same-day.",
        "Getting a referral to the hospital is one fight, getting seen once you're referred is "
        "another.",
    ],
    "school-send": [
        "W|My granddaughter's in a wheelchair and the school's got no lift to the science labs.",
        "P|My son understands everything but he is shy to speak English in class, and they put "
        "him in the bottom set for everything.",
        "Y|Sixth form's only got two study rooms and one of them's always locked.",
        "Y|My friend got kicked out of sixth form for attendance, but she was a young carer and "
        "nobody asked.",
        "T|The head said they'd look at an EHCP and then she left and the new one started from "
        "scratch.",
        "Kids get put in isolation booths for a whole day for having the wrong shoes.",
        "There's no speech therapist, they share one with six other schools.",
        "He was fine at primary, it's the big secondary with fourteen hundred kids that he "
        "can't cope with.",
    ],
    "housing-conditions": [
        "W|The council wants me to move to a one-bed flat in town, but this is my home, my "
        "garden.",
        "P|The landlord enters the house without telling us. He has a key and he just comes.",
        "Y|We've had no hot water for a month, I shower at my nan's.",
        "T|The guttering on our row has been hanging off since the storm and water pours down "
        "the walls.",
        "The new flats going up are all for sale, nothing for rent that normal people can "
        "afford.",
        "The bathroom fan doesn't work and the inspector said open a window. In January.",
    ],
    "transport": [
        "W|Getting on the bus with my trolley and my stick is a performance, and the driver "
        "pulls off before I'm sat.",
        "P|The bus driver did not understand my address, he shouted at me, I got off.",
        "S|The valley road's a death trap for cyclists, I gave up my bike after the lorry "
        "nearly had me.",
        "T|My daughter missed her interview because the 27 was cancelled. No text, no nothing.",
        "Y|My mates who live up at Hebble Top can't come to anything after school, there's no "
        "bus home.",
        "The bus station toilets have been shut for three years.",
    ],
    "jobs-skills": [
        "P|My husband is an engineer, here he drives a forklift. Nobody wants to see what he "
        "can do.",
        "Y|Work experience was two weeks at a charity shop because that's all there was.",
        "T|The jobcentre's moved to Thornbury, so you pay the fare to sign on.",
        "S|They want you to do it all on a computer now, the applications, and half of us have "
        "never touched one.",
        "The care homes are crying out for staff, but twelve pound an hour for that work, no "
        "wonder.",
    ],
    "drugs-alcohol": [
        "W|Those silver canisters all down the ginnel, I thought they were for cream at first.",
        "P|In the park there are men drinking all day and I don't take the children there now.",
        "Y|You get offered stuff at parties and people think it's normal. It's not normal.",
        "T|The dealer on our block has got a nicer car than the head teacher.",
        "S|Drink's always been the valley's medicine. It's just that now the pubs are empty and "
        "folk drink at home.",
    ],
    "dentist-access": [
        "P|I paid three hundred pounds for an emergency private visit because the pain was too "
        "much to wait.",
        "Y|My dentist in year nine said come back in six months and then the practice "
        "disappeared.",
        "T|A kid at my daughter's school had eight teeth out under general anaesthetic. Eight.",
        "W|My partial plate's cracked and I'm gluing it back in with the stuff from the chemist.",
    ],
    "mental-health": [
        "P|At the GP they gave me a form about my mood, in English, with a scale from nought to "
        "three. How do I put my life on that?",
        "Y|The wellbeing app the NHS gives you is literally just breathing exercises.",
        "T|The community mental health team rang once, said he's not unwell enough, and closed "
        "his case.",
        "W|When I lost my sight in one eye I went very low, and the doctor said it's to be "
        "expected at my age.",
        "S|There's a Monday men's group in Thornbury for blokes who're struggling, but Monday "
        "night's a long way by bus.",
    ],
    "flooding": [
        "P|We had to throw out the beds, the sofa, the children's toys. We started again from "
        "nothing.",
        "Y|The field where we play football is underwater every winter now.",
        "T|The storm drain outside number twelve overflowed again and the road was a river for "
        "a day.",
        "W|The flood warden scheme had a volunteer in every street once. There's two now.",
    ],
}
for _concern, _lines in _MORE.items():
    CORES[_concern].extend(_lines)
