"""What people in Saltmere say: the utterance bank of the second example corpus, by concern.

Every line was written by hand for listenlens; the district, its villages, buses, surgeries and
people are fictional. ``CORES`` holds what people say about each concern, several facets each
(damp is window seals, repair tickets and dehumidifier costs; the buses are timetables, fares,
the community minibus and the hospital run). A core may carry a tag saying which community would
say it (``C|`` carers, ``R|`` the rural parish, ``M|`` the newcomers' group, ``D|`` the
disability forum, ``Y|`` young parents); untagged lines suit anyone. ``FOLLOW`` holds replies
that pick up what the last speaker said on the same concern, ``BOTH`` turns that raise two
concerns at once, ``PROMPTS`` the facilitators' questions that open a stretch of talk.
"""

from __future__ import annotations

#: The ten concerns: id -> (name, one-line plain description).
CONCERNS: dict[str, tuple[str, str]] = {
    "loneliness": ("Loneliness and isolation",
                   "Feeling cut off, lonely or with no one to talk to; losing groups and company."),
    "cost-of-living": ("Cost of living",
                       "Bills, food and fuel prices, debt and not having enough money to get by."),
    "transport": ("Buses and getting about",
                  "Bus routes, timetables, fares, the community minibus and lifts to places."),
    "gp-access": ("GP and health access",
                  "Getting a GP appointment, reaching the surgery or hospital, waiting lists."),
    "housing-conditions": ("Housing conditions",
                           "Damp, mould, cold homes, repairs not done, rents and insecure lets."),
    "community-safety": ("Community safety",
                         "Feeling unsafe: antisocial behaviour, speeding, poor lighting, police."),
    "green-spaces": ("Green spaces and the seafront",
                     "Parks, the beach and seafront, footpaths, litter and places to be outside."),
    "youth-provision": ("Youth and children's provision",
                        "Things for children and teenagers to do, youth clubs, play, childcare."),
    "not-listened-to": ("Not being listened to",
                        "The council and services not listening, consultations that go nowhere."),
    "digital-exclusion": ("Digital exclusion",
                          "Services only online or by app; no internet, no device, no help."),
}

CORES: dict[str, list[str]] = {
    "loneliness": [
        "Some weeks the only person I speak to is the lady on the till at the Co-op.",
        "C|Since Dad's dementia got worse I don't see my friends at all. They stopped asking, and "
        "I don't blame them, I always had to say no.",
        "C|You become invisible as a carer. People ask how he is, nobody asks how you are.",
        "C|I used to go to choir on a Thursday but I can't leave him for two hours now, so that's "
        "gone as well.",
        "C|The nights are the worst. He's asleep by seven and then it's just me and the telly "
        "until midnight.",
        "C|When my mum went into the home I thought I'd have my life back, but actually I just "
        "sat in the house not knowing what to do with myself.",
        "R|Since the pub shut there's nowhere in Hollin Cross where you just bump into people.",
        "R|My husband passed in the spring and the farm's so far out, I can go four or five days "
        "without seeing a soul.",
        "R|The village is half holiday cottages now. In January you walk down the lane and every "
        "window's dark.",
        "R|We used to have the whist drive in the hall and that was the whole winter sorted, "
        "really. It stopped in the lockdown and never came back.",
        "R|Honestly the mobile library van was the highlight of my fortnight, and they've cut that "
        "to once a month.",
        "M|When I came here I knew nobody, only the people on my shift, and we don't talk on the "
        "line because of the noise.",
        "M|My mother is in Braga and I talk to her on video every night, but it's not the same as "
        "having someone to knock on the door.",
        "M|My husband works nights at the fish plant and I work days, we pass each other on the "
        "stairs. I'm on my own with the baby most of the time.",
        "M|English people are polite but it is very hard to be invited into a house. Three years "
        "and I have been inside one English home.",
        "M|In my country the neighbours are like family. Here I don't even know the name of the "
        "man next door.",
        "D|If you can't get out of the flat without help, your world gets very small very quickly.",
        "D|I'm deaf and in a group I lose the thread after five minutes, so I stopped going to "
        "things. It's easier to stay home, but it's lonely.",
        "D|People think because I'm on my phone all day I've got loads of friends. I haven't, it's "
        "just the only window I've got.",
        "D|The day centre closing was the end of my social life, to be blunt.",
        "Y|Having a baby is the loneliest I've ever been, which nobody tells you.",
        "Y|All my mates are still going out and I'm sat in with a teething baby, they've just "
        "stopped inviting me.",
        "Y|My partner's away on the boats for two weeks at a time and I don't drive, so it's me "
        "and the baby in the flat.",
        "Y|I moved here for his job and I don't know anyone. The health visitor is literally the "
        "only adult I talk to some days.",
        "Y|You go to baby group and everyone already knows each other, it's hard to break in.",
        "I don't think people realise how long a Sunday is when you live on your own.",
        "During lockdown I didn't leave the house for eleven weeks. Even now I find it hard to "
        "go out.",
        "It's not that I'm unhappy exactly, it's just there's no one to tell things to.",
        "CRD|The lunch club was what got me out of bed on a Wednesday.",
        "I'd like a place where you can just turn up and have a cup of tea and nobody asks why "
        "you're there.",
        "CRD|A phone call once a week from the befriending lady, that's it. She's lovely but it's "
        "twenty minutes.",
        "You get out of the habit of people. Then when you do go somewhere you don't know what to "
        "say.",
        "Lonely.",
        "CRD|I've lived here thirty years and I feel like a stranger now, all the faces have changed.",
        "CRD|My daughter's in Australia, my son's in Leeds. I'm proud of them but I'm on my own.",
        "There was a knitting group at the library and that's stopped too. Everything's stopped.",
        "I talk to the dog more than I talk to people, if I'm being honest.",
        "We need more things in the daytime. Everything's in the evening and I won't go out in "
        "the dark.",
        "Zoom coffee mornings were a lifeline to be fair, but you can't hug a screen.",
        "Some days I just get on the bus and ride to the end and back, just to be around people.",
        "I'd go to more things if I knew someone else going. Walking in on your own is the hard "
        "bit.",
        "I was so isolated that winter that I got the doctor's receptionist talking for ten "
        "minutes just because she was nice to me.",
        "It's the weekends. Weekdays there's the odd thing on, but Saturday and Sunday there's "
        "absolutely nothing.",
        "I'm fine really. I'm used to my own company. Well, I say that.",
        "After the groups all stopped in 2020 people just never came back, they got used to "
        "staying in.",
        "It creeps up on you. One day you realise you haven't had a proper conversation for a "
        "week.",
    ],
    "cost-of-living": [
        "The electric's gone from sixty to a hundred and forty a month and nothing else has "
        "changed.",
        "I'm on a prepayment meter and I've had to choose between topping it up and buying food "
        "more than once.",
        "C|The carer's allowance is an insult, you can't live on it, and if you earn a bit extra "
        "they take the lot off you.",
        "C|He needs the heating on all day because he feels the cold, and I can't argue with that, "
        "but the bill frightens me.",
        "C|We got caught by the overpayment thing, worked four extra hours at Christmas and now we "
        "owe them nearly two thousand pounds.",
        "R|Heating oil was over a pound a litre last winter. We filled the tank halfway and prayed.",
        "R|There's no shop in the village now, so you're paying Saltmere prices plus the petrol "
        "to get there.",
        "R|The farm shop's lovely but it's for the visitors, not for the likes of us.",
        "M|I work fifty hours at the fish plant and still I borrow from my cousin at the end of "
        "the month.",
        "M|We send money home every month, and with the prices here now there is almost nothing "
        "to send.",
        "M|The agency changes our hours every week, so you never know what you will earn.",
        "D|Disabled people's costs are higher full stop. I have to charge my wheelchair, run the "
        "hoist, keep warm, and none of that is optional.",
        "D|The PIP money went up a bit and the bills went up a lot more.",
        "D|I've stopped using the bath because the hoist and the hot water together cost too much. "
        "I have a wash at the sink.",
        "Y|Nappies have gone up again, formula's gone up, they've started putting security tags "
        "on formula in Asda.",
        "Y|I water down the baby's milk sometimes, I know you're not meant to.",
        "Y|Childcare costs more than I'd earn, so what's the point of going back to work?",
        "Y|I get my Universal Credit and by the time the rent top-up and the loan deduction come "
        "off there's about forty quid left for the fortnight.",
        "A food shop that was fifty quid is now eighty, for the same stuff, actually less stuff.",
        "I go round the shops at half seven for the yellow stickers. That's tea sorted.",
        "I've never used a food bank in my life and last month I had to. I sat in the car for "
        "ten minutes before I could go in.",
        "We've cut back on everything. No takeaways, no days out, the kids have noticed.",
        "It's the little things adding up. Bread's gone up, milk's gone up, the bus has gone up.",
        "I sit in a coat and a blanket in the evenings so I don't have to put the heating on.",
        "I'm working two jobs and I still can't save a penny.",
        "Council tax went up again, and what do we get for it?",
        "I've got a credit card I'm only paying the interest on. I know that's bad.",
        "The warm space at the library was great but it shut at four, which is when it gets cold.",
        "Expensive. Everything's expensive.",
        "CRD|My grandson does my shopping online so I can see the total as it goes, I take things "
        "back out of the basket.",
        "You're too well off for help and too hard up to manage, that's where we are.",
        "I got a letter saying my direct debit's going up to a hundred and ninety, I rang them "
        "and cried down the phone.",
        "The debt advice people are brilliant but there's a six-week wait to see them.",
        "People are too proud to say they're struggling round here. You'd never know from "
        "looking.",
        "Cooking's a luxury now, the oven costs too much, it's all air fryer and microwave.",
        "Water bill, energy bill, TV licence, phone, all in the same week. I dread the first of "
        "the month.",
        "I used to put a bit by for Christmas. Now I'm still paying off last Christmas in July.",
        "Even the charity shops have gone up, a kid's coat was twelve pounds.",
        "The fuel voucher helped, but it was one winter and then it stopped.",
        "I've sold my wedding ring. There, I've said it.",
        "Half the people in our street have a payday loan, they just don't talk about it.",
    ],
    "transport": [
        "The 61 only runs every two hours now, and if you miss it you're stood in the wind with "
        "no shelter.",
        "There's no bus after six, so anything in the evening is just out for me.",
        "R|We've one bus a day into Saltmere, it goes at ten past nine and comes back at two, "
        "that's your whole day planned for you.",
        "R|If you don't drive in Hollin Cross you're stuck, simple as that.",
        "R|The community minibus is wonderful but you have to book it by Monday, and it only "
        "does Tuesdays.",
        "R|I'm eighty-three and still driving because there isn't any other way to get about. My "
        "daughter thinks I should stop. Then what?",
        "D|Half the buses still haven't got a working ramp, or the driver doesn't know how to put "
        "it down.",
        "D|I was left at the stop because the wheelchair space had two buggies in it, and the "
        "next bus was two hours.",
        "D|The bus stop announcements don't work, so if you can't see you have no idea where you "
        "are.",
        "D|Dial-a-ride has gone from five days to two, and you have to ring a fortnight ahead.",
        "M|I start at the plant at six in the morning and there is no bus at that time, so I pay "
        "a man from work for a lift.",
        "M|A taxi to the hospital in Kingsreach was forty-five pounds one way.",
        "M|The buses here, nobody tells you the timetable changed. Only a small paper on the "
        "stop.",
        "Y|Have you tried getting a double buggy on the 61? The driver just shook his head at me.",
        "Y|I can't afford driving lessons, so everything has to be walkable or on the bus.",
        "Y|The bus fare for me and the two kids into town is nearly a tenner return.",
        "C|I can't use the bus with Mum, she can't manage the step, so it's taxis, and that adds "
        "up.",
        "C|Parking at the hospital is four pounds an hour, and you're there all day for his "
        "appointments.",
        "The timetable says half past, the bus comes at ten to, or not at all.",
        "They cut the Sunday service completely, so if you work weekends you need a car.",
        "The Coastlink 9 is fine in summer for the tourists, then in October it goes to nearly "
        "nothing.",
        "Buses.",
        "You can't get from Eastwick Sands to Carrow without going all the way into Saltmere and "
        "back out.",
        "The bus shelter on Quay Road has had no glass in it for a year.",
        "The app says the bus is coming and then it just vanishes off the map.",
        "I walk two miles along the main road to the bus stop, there's no pavement for half of "
        "it.",
        "CRD|My bus pass doesn't start till half nine, so early appointments I have to pay anyway.",
        "The school bus is full, so the college kids stand in the aisle on the coast road.",
        "They say use public transport, but there isn't any, that's the whole problem.",
        "Lifts, that's how we get about. You owe everybody a favour.",
        "If the ferry isn't running in bad weather, the bus to the mainland side is the only way, "
        "and that's the one they've cut.",
        "Last bus back from Kingsreach is quarter past five. Miss that and you're stopping the "
        "night.",
    ],
    "gp-access": [
        "You ring at eight, you're number twenty-six in the queue, and by the time you get "
        "through there's nothing left.",
        "I waited three weeks for a phone call with a doctor, and then they rang when I was at "
        "work.",
        "R|The surgery in Carrow closed, so it's the Harbour Practice in Saltmere now, and that's "
        "a twelve-mile round trip.",
        "R|The doctor used to come out to the village on a Thursday morning. That stopped years "
        "ago.",
        "R|The dispensary in the village shut, so you can't even pick your tablets up locally any "
        "more.",
        "D|I need a longer appointment because of my speech, and the ten-minute slot is over "
        "before I've finished explaining.",
        "D|The surgery door is heavy and there's no button, so I wait outside until someone comes "
        "past.",
        "D|My annual review was meant to be in March. It's October and nobody has called.",
        "D|Text messages for appointments are no good for me, and they won't put it on my notes "
        "to ring.",
        "M|They asked for a proof of address to register and I had only a letter from the agency, "
        "they said it is not enough.",
        "M|I tried to explain my pain and the receptionist said to speak slower, but I don't know "
        "the words for it.",
        "M|In Poland you see a specialist in two weeks. Here my daughter waited eleven months for "
        "her ears.",
        "Y|My baby had a temperature of thirty-nine and they told me to ring 111, and 111 told me "
        "to ring the surgery.",
        "Y|The six-week check got cancelled twice. I had to chase it myself.",
        "Y|They always make you feel like you're wasting their time when it's your first baby.",
        "C|Getting his prescriptions right is a part-time job. They send half of it, the chemist "
        "hasn't got the rest.",
        "C|I've not seen a doctor about my own back in two years, there's never time between his "
        "appointments.",
        "C|Every time it's a different doctor, and every time I have to explain his whole history "
        "from the start.",
        "The receptionist asks you what's wrong in front of the whole waiting room.",
        "You can't get an appointment to book an appointment, that's how bad it is.",
        "They've put everything through the triage form, and then you get a text saying the form "
        "is closed for today.",
        "CRD|I've been on the waiting list for a knee replacement for two years.",
        "Dentist. There isn't an NHS dentist taking people on anywhere in the district.",
        "If it's urgent they say go to A and E, but A and E is at Kingsreach, an hour away.",
        "I don't mind seeing a nurse or the pharmacist, I just want to see somebody.",
        "Doctors.",
        "They closed the list to new patients, so my new neighbour can't register anywhere near.",
        "I'd like to see the same GP twice. Just twice.",
        "Mental health waiting lists are eighteen months. Eighteen months.",
        "The locum was lovely but he didn't know me from Adam and I came out with the same "
        "tablets.",
        "My blood test results took so long that they had to do the test again.",
        "You need to be well to get through the process of getting seen by a doctor.",
        "I gave up and paid to go private for the scan. Money I didn't have.",
        "The eight o'clock scramble. Every single morning.",
        "I had a callback from a doctor at twenty to seven at night, which was good of her, but I "
        "was on the bus.",
        "They sent me a link to a video appointment. I had no idea what to do with it.",
    ],
    "housing-conditions": [
        "The window seals in the bedroom have gone, there's water on the sill every morning.",
        "I've reported the mould three times and each time they paint over it.",
        "Our repair ticket for the leaking roof has been open since February.",
        "The dehumidifier's on all day and it costs a fortune to run, but if I switch it off the "
        "walls go black.",
        "The landlord's selling up to make it a holiday let, so we've had a section 21.",
        "R|Every other house in the village is an Airbnb, there's nothing to rent for local "
        "people.",
        "R|It's an old stone cottage with single glazing, you could heat the garden better than "
        "the house.",
        "R|The tied cottage goes with the job, so if he loses the job we lose the house.",
        "M|Eight of us share a house from the agency, two to a room, and the boiler breaks every "
        "month.",
        "M|The landlord takes the rent from our wages before we see it, and he never fixes "
        "anything.",
        "M|There is mould on the baby's cot and the landlord says it's because we cook rice.",
        "D|I've been waiting for a level-access shower for three years. I still can't use the "
        "bath.",
        "D|The adaptations grant got approved and then the landlord wouldn't give permission.",
        "D|The lift in our block was broken for five weeks. I'm on the fourth floor. I didn't go "
        "out.",
        "Y|We're in a static caravan on the park because we can't get anything else, and it's "
        "freezing from October.",
        "Y|Me and the baby are in one room at my mum's, we've been on the housing list since "
        "before she was born.",
        "Y|The emergency B and B had mould in the shower and a shared kitchen with a man who "
        "drank all day.",
        "C|We need a downstairs bedroom for Dad and there's nothing, the council says we're not a "
        "priority.",
        "Rents have gone mad since everyone from London bought second homes here.",
        "The extractor fan in the bathroom hasn't worked since we moved in.",
        "You report it online, you get a reference number, and that's the last you hear.",
        "The whole back wall is damp. My son's asthma is worse every winter.",
        "They sent someone to look at the damp, he took photos and said it was our fault for "
        "drying washing.",
        "Cold house. Just a really cold house.",
        "The rent's gone up a hundred and fifty a month and the place is falling apart.",
        "Marram Homes say they'll get to it, they've been saying that since 2022.",
        "The salt air rots everything, the window frames are crumbling on our row and nobody "
        "does anything.",
        "The front door doesn't shut properly, there's a gap you can see daylight through.",
        "When it rains hard the flats on the front get water through the electrics, the lights "
        "flicker.",
        "The surveyor said the guttering needs doing, six months ago, and still it pours down the "
        "wall.",
        "Condensation running down the inside of the windows, every morning I'm there with a "
        "towel.",
        "We've been told we'll be rehoused while they fix the damp, nobody will tell us when.",
        "I've bought three bottles of mould spray this month. It comes back in a week.",
        "The new builds on the edge of town aren't for us, they're priced for people moving "
        "down.",
    ],
    "community-safety": [
        "The lads on the quad bikes up and down the seafront at midnight, the police never come.",
        "Cars come through the village at sixty, there's no pavement and the kids walk to the "
        "bus.",
        "Half the street lights on Quay Road are out, and they turn the rest off at midnight "
        "anyway.",
        "There's a lot of drug dealing round the back of the arcade, everyone knows.",
        "We've not seen a PCSO since the police station closed.",
        "R|There've been three quad bikes and a trailer nicked from farms this year.",
        "R|The 101 number just rings and rings, so people stop reporting things.",
        "M|Someone wrote something on our door, about Polish people. We didn't report it, what "
        "would happen?",
        "M|My son was shouted at on the way home from school because of his accent.",
        "D|The pavements are so broken I've tipped my chair twice on the harbour side.",
        "D|People park across the dropped kerbs and I have to go into the road.",
        "Y|The park's got needles in it some mornings, I check before the kids go on the slide.",
        "Y|I don't walk back from my mum's after dark with the pram, not past the garages.",
        "C|Mum goes wandering and I worry about the traffic on the coast road more than anything.",
        "The summer's worse, the town fills up, there's drinking on the beach and fights at "
        "closing time.",
        "I don't feel safe walking home. I didn't used to think about it.",
        "Somebody tried our car doors three nights running.",
        "Speeding. Speeding on the main road, every day.",
        "The CCTV in the precinct hasn't worked for years, it's just for show.",
        "Bikes on the promenade, they fly past you, I've nearly been knocked over twice.",
        "The underpass by the station, I won't go through it, nobody does.",
        "Scam phone calls, my neighbour lost six hundred pounds to a man saying he was from the "
        "bank.",
        "Fireworks going off in the street in November, the dog's terrified and so am I.",
    ],
    "green-spaces": [
        "The beach is the best thing about living here, but the toilets on the front are locked "
        "all winter.",
        "The coast path by Carrow has been closed since the cliff fall and nobody's said when "
        "it'll reopen.",
        "There's dog mess all over the playing field, you can't let a toddler run on it.",
        "The litter on the seafront after a sunny weekend is disgusting, the bins overflow by "
        "Saturday lunchtime.",
        "They built on the field where we used to walk, and that was the only green bit left "
        "near us.",
        "R|The footpaths across the fields are overgrown, and one farmer's put a bull in with the "
        "right of way.",
        "R|Walking is what keeps me sane, and the lanes are too narrow with the cars now.",
        "M|On Sunday we go to the beach with the children, it's free and it's beautiful, the best "
        "thing here.",
        "D|There's no accessible route down to the beach. The ramp at the slipway is too steep "
        "and full of sand.",
        "D|The benches along the prom were taken out, and I need to sit down every hundred yards.",
        "Y|The play park's got one baby swing and it's been broken since the summer.",
        "Y|Getting out to the beach with the pram is the only thing that keeps me going some "
        "days.",
        "C|Even twenty minutes on the bench at the harbour looking at the sea, that's my respite.",
        "The sewage warnings, you can't let the kids in the water half the summer.",
        "Jubilee Gardens used to be lovely, now the flower beds are just weeds.",
        "The allotment waiting list is six years.",
        "Fly-tipping down the back lane, a whole sofa, it's been there since March.",
        "Parks.",
        "It'd be nice to have somewhere with a bit of shelter, the wind off the sea is brutal.",
        "They cut the grass verges once a year now, supposedly for the bees.",
        "Nobody clears the seaweed and the plastic off the little beach, the volunteers do it.",
    ],
    "youth-provision": [
        "There's nothing for teenagers here, the youth club closed, so they hang round the "
        "arcade.",
        "The holiday clubs cost thirty pounds a day, so ours are on their phones all summer.",
        "Y|The only toddler group is Tuesday mornings at the church and it's full.",
        "Y|I can't get a nursery place for under-twos anywhere this side of Saltmere.",
        "Y|The children's centre shut, that's where you went to weigh the baby and meet people.",
        "Y|Soft play is twelve quid for an hour and a half, we can't go every week.",
        "R|The village school is down to thirty-one children, they're talking about closing it.",
        "R|Our teenagers have to get two buses to do anything, so they don't.",
        "M|My son wants to play football but the club is in Kingsreach and training is at six.",
        "M|The children learn English quickly at school, but there is nothing in the holidays "
        "and they forget.",
        "D|There's nothing for disabled teenagers at all. My daughter's seventeen and she sits at "
        "home.",
        "D|The SEN waiting list for an assessment is two years. Two years of his childhood.",
        "C|My grandson is a young carer at twelve and there's no group for him since the funding "
        "went.",
        "Kids need somewhere warm to go after school that isn't a shop doorway.",
        "The skate park was promised in 2019, we're still waiting.",
        "The youth worker was brilliant and then her post got cut.",
        "Nothing for kids.",
        "The summer scheme is two weeks, the holidays are six.",
        "If there was a proper youth club you'd see half the trouble on the seafront go away.",
        "The Scouts have a waiting list because there aren't enough leaders.",
        "Apprenticeships round here are the fish plant or the caravan park, that's it.",
    ],
    "not-listened-to": [
        "We've done these consultations before and nothing ever changes.",
        "I wrote to the council about it three times and got the same letter back each time.",
        "They decide everything in Kingsreach and we find out from the paper.",
        "You fill in the survey, you come to the meeting, and then you never hear another word.",
        "R|The district council think the district stops at the edge of Saltmere.",
        "R|The parish council tries, but they've got no money and no power, so what's the point.",
        "M|Nobody asks us. This is the first time anyone asked what we think about anything.",
        "M|The letters from the council are only in English, and very difficult English.",
        "D|They redesigned the high street without asking a single wheelchair user, and now there "
        "are no dropped kerbs by the bank.",
        "D|Nothing about us without us, that's what they say, and then they do it without us.",
        "Y|They treat you like you're thick because you're young and you've got a baby.",
        "Y|I went to the housing office and the woman didn't even look up from her screen.",
        "C|Carers are always the afterthought, they ask his opinion and not mine and I'm the one "
        "doing it.",
        "C|The hospital discharged him on a Friday night without telling me, I found out when "
        "the ambulance pulled up.",
        "I don't want to be rude, but what will happen with what we say today?",
        "They listen to the people with the loud voices and the holiday homes.",
        "Same old. Nobody listens.",
        "Every year somebody new comes and asks the same questions.",
        "The councillor came once before the election and we've not seen him since.",
        "You complain and they send you a leaflet about how to complain.",
        "If they'd listened when we told them about the cliff path it wouldn't have cost what it "
        "did.",
        "I'd just like someone to come back and say, this is what we did with what you told us.",
    ],
    "digital-exclusion": [
        "Everything's online now. The council, the bank, the doctor, and I haven't got a "
        "computer.",
        "The bank in Saltmere shut, so it's the app or nothing, and I don't trust the app.",
        "The signal in the village is so bad you can't load a web page, never mind do a form.",
        "I had to fill in the blue badge form online and it timed out three times.",
        "The library computers are booked up and you only get an hour.",
        "R|There's no broadband past the church, they said fibre was coming in 2021.",
        "R|You can't even make a phone call from my kitchen, I have to stand in the garden.",
        "M|For the visa and the settled status everything is on the website, I paid a man forty "
        "pounds to help me.",
        "M|My children translate the emails from school for me, they are nine and eleven.",
        "D|The websites don't work with my screen reader, the buttons have no names.",
        "D|They want a photo of your ID through the app and my hands shake too much to take it.",
        "Y|I've got a phone but no data half the month, and the Universal Credit journal is all "
        "online.",
        "Y|Baby groups are all on Facebook and I came off Facebook because of my ex.",
        "C|Mum's prescriptions are on the NHS app, so it's on my phone, and when my phone broke "
        "we were stuck.",
        "They tell you to go to the website, but I'm ringing you because I can't use the website.",
        "Parking's all pay by phone now, no machines, so I just don't go into town.",
        "QR codes. Everything's a QR code.",
        "CRD|My grandson set it all up and then he moved away, and now I can't remember the "
        "passwords.",
        "I'd pay for a bit of help with it, but there's nobody who does that here.",
        "I'm not stupid, I just never learned, nobody showed me, and now I feel stupid.",
        "The paper forms have gone from the post office. You have to print them yourself.",
    ],
}

#: Replies that pick up the last turn on the same concern (someone agreeing and adding to it).
FOLLOW: dict[str, list[str]] = {
    "loneliness": [
        "Yes, and once you stop going out it's twice as hard to start again.",
        "That's exactly it, it's the evenings.",
        "Same with me since my husband died. The house is so quiet.",
        "Yeah, nobody knocks any more, do they.",
        "I'd come to a coffee morning, if there was one I could get to.",
        "Mm. It's a lot of hours on your own.",
    ],
    "cost-of-living": [
        "Yes, and the standing charge, you pay that even if you use nothing.",
        "Same, I've stopped using the oven altogether.",
        "Exactly, and wages haven't moved.",
        "We're the same, it's beans on toast three nights a week.",
        "And it's not just food, it's everything.",
        "Yeah, I'm frightened of the post some days, in case it's another bill.",
    ],
    "transport": [
        "Yes, and the bus is worse since they changed the timetable.",
        "Same, I missed a hospital appointment because of the 61.",
        "And when it does come it's full of schoolkids.",
        "That's right, you plan your whole life round the bus.",
        "Yeah, the Tuesday bus is always full by the time it gets to us.",
    ],
    "gp-access": [
        "Same, I've given up ringing at eight.",
        "Yes, and then you get the answerphone saying all appointments are gone.",
        "Exactly that. I went to the chemist in the end.",
        "It's the same at the Harbour Practice.",
        "Yeah, I had that with my daughter as well, three weeks.",
    ],
    "housing-conditions": [
        "Ours is the same, black mould round every window.",
        "Yes, and they close the repair ticket without coming out.",
        "Same with our landlord, he just doesn't answer.",
        "That's the whole row, not just you.",
        "Yeah, we've got a bucket under the leak in the hall.",
    ],
    "community-safety": [
        "Yes, same on our road, they go flying past.",
        "I don't go out after dark either.",
        "That's it, nobody bothers ringing the police now.",
    ],
    "green-spaces": [
        "Yes, and the bins on the front are never emptied in time.",
        "Same, the beach is what keeps me going.",
        "They used to have a warden on the front, didn't they.",
    ],
    "youth-provision": [
        "Yes, mine are bored out of their minds in the holidays.",
        "Same, there's nothing for under-fives either.",
        "And they wonder why the kids are on the seafront.",
    ],
    "not-listened-to": [
        "Exactly, and this'll be the same, no offence.",
        "Yes, you never hear back.",
        "That's it, they've already decided before they ask us.",
    ],
    "digital-exclusion": [
        "Same, I can't do any of it without my daughter.",
        "Yes, and the signal's no good anyway.",
        "And they've taken the phone number off the letters.",
    ],
}

#: Short reactions that suit any concern (said many times, as in any meeting).
REACTIONS = ["Same here.", "Same.", "Yes.", "Exactly that.", "Mm, yeah.", "That's us too.",
             "Honestly, same.", "I'd second that.", "Yes, definitely.", "Agreed.",
             "Same for us.", "Oh, tell me about it."]

#: Turns that raise two concerns: (first, second) -> what is said; the first is the main one.
BOTH: dict[tuple[str, str], list[str]] = {
    ("transport", "gp-access"): [
        "The bus to the surgery goes twice a day, so if your appointment's at eleven you're "
        "there till three.",
        "My hospital appointment was at nine in Kingsreach and the first bus gets in at "
        "ten past ten.",
        "They moved my blood tests to the Harbour Practice and there's no bus from ours that "
        "gets there before twelve.",
    ],
    ("gp-access", "transport"): [
        "I couldn't get a GP appointment anywhere near, they offered me one at the Carrow "
        "branch, and how am I meant to get to Carrow?",
        "The physio is only at Kingsreach and I can't drive after the operation, so I've not "
        "been.",
    ],
    ("cost-of-living", "loneliness"): [
        "I used to meet my friend for a coffee in town, now it's the bus fare and the coffee, so "
        "I just stay in.",
        "I can't afford to do anything, so I don't see anyone, it's that simple.",
        "You can't invite people round when you can't offer them anything.",
    ],
    ("loneliness", "cost-of-living"): [
        "I'm on my own all day and I can't put the heating on, so I go to bed at seven.",
        "The lunch club went up to six pounds, so I stopped going, and that was my week.",
    ],
    ("housing-conditions", "cost-of-living"): [
        "The house is so cold and damp that I'm running the heater and the dehumidifier, and "
        "that's half my money gone.",
        "The rent went up again and the flat's still got mould, we're paying more for worse.",
    ],
    ("cost-of-living", "housing-conditions"): [
        "With the rent the way it is we've nothing left for food, and the landlord still won't "
        "fix the boiler.",
    ],
    ("loneliness", "digital-exclusion"): [
        "Everyone keeps in touch on WhatsApp now, and I haven't got it, so I hear about "
        "everything last.",
        "The groups all moved online in the pandemic and I couldn't get on, so I lost all of "
        "them.",
    ],
    ("not-listened-to", "housing-conditions"): [
        "We've told Marram Homes about the damp at every residents' meeting for three years and "
        "not once has anyone come back to us.",
    ],
    ("youth-provision", "community-safety"): [
        "There's nowhere for the teenagers to go, so they're round the bus shelter at night and "
        "people feel intimidated.",
    ],
    ("community-safety", "green-spaces"): [
        "I won't use the park after four, there's lads drinking by the bandstand and broken "
        "glass everywhere.",
    ],
    ("digital-exclusion", "gp-access"): [
        "To get a doctor you have to fill in the form online, and I haven't got the internet, so "
        "I don't get a doctor.",
        "The surgery stopped taking calls for repeat prescriptions, it's the app only now.",
    ],
    ("transport", "loneliness"): [
        "Since they cut the evening bus I can't get to the club, so I don't see anybody.",
    ],
}

#: What people sometimes add after what they said, by concern (short, in the speaker's voice).
TAILS: dict[str, list[str]] = {
    "loneliness": ["It's the silence.", "You just feel forgotten.", "Some days it gets to me.",
                   "I don't like to admit it."],
    "cost-of-living": ["Something's got to give.", "It's relentless.", "It's frightening, "
                       "honestly.", "I don't know how people manage."],
    "transport": ["It's hopeless.", "You can't rely on it.", "And that's on a good day.",
                  "It's a joke, really."],
    "gp-access": ["It's not the staff's fault, they're run ragged.", "It's a lottery.",
                  "You just give up in the end.", "It shouldn't be this hard."],
    "housing-conditions": ["It's not fit to live in.", "And we pay good money for it.",
                           "It's making us ill.", "Nobody comes."],
    "community-safety": ["It's not what it was.", "Something needs doing."],
    "green-spaces": ["It's such a shame.", "It's all we've got."],
    "youth-provision": ["They need something.", "It's the kids who lose out."],
    "not-listened-to": ["That's my experience anyway.", "Sorry, but it's true."],
    "digital-exclusion": ["I feel left behind.", "It's not for people like me."],
}

#: How people start talking when they speak (never in notes, walls or surveys).
OPENERS = ["Um, ", "I mean, ", "Honestly, ", "Well, ", "For me, ", "See, ", "Er... ",
           "To be honest, ", "Yeah, so ", "Can I just say, ", "Oh, ", "The thing is, "]

#: Ways of referring back to an earlier speaker of the same stretch of talk.
REFER = ["Like {name} said, ", "Going back to what {name} said, ", "{name}'s right, ",
         "Same as {name}, really, ", "What {name} said. And "]

#: Facilitators' prompts that open a stretch of talk on a concern, and the heading the
#: note-taker gives it in typed notes and the table a sticky note goes on.
PROMPTS: dict[str, list[str]] = {
    "loneliness": ["Who do you see in a normal week?", "Does anyone feel on their own a lot of "
                   "the time?", "What's it like keeping in touch with people at the moment?"],
    "cost-of-living": ["How are you managing with money and bills?", "What's changed with the "
                       "cost of things this year?", "What's the shopping and the bills like "
                       "for you now?"],
    "transport": ["What's it like getting about, to appointments and the shops?", "How do you "
                  "get to where you need to be?", "Let's talk about the buses."],
    "gp-access": ["What's it like getting to see a doctor?", "How have you got on with the "
                  "surgery and the hospital?", "When you need health care, what happens?"],
    "housing-conditions": ["What are your homes like to live in?", "Tell me about your homes, "
                           "repairs, the landlord.", "How's the housing situation for you?"],
    "community-safety": ["Do you feel safe round here?", "What about safety, day and night?"],
    "green-spaces": ["What about the beach, the parks, being outdoors?", "Where do you go to "
                     "get outside?"],
    "youth-provision": ["What's there for the children and young people?", "What about things "
                        "for kids to do?"],
    "not-listened-to": ["Do you feel the council and the services listen to you?", "What "
                        "happens when you raise things with the council?"],
    "digital-exclusion": ["How do you get on with things being online?", "What about phones, "
                          "the internet, apps?"],
}
HEADINGS: dict[str, str] = {
    "loneliness": "Keeping in touch", "cost-of-living": "Money and bills",
    "transport": "Getting about", "gp-access": "Health and the surgery",
    "housing-conditions": "Homes", "community-safety": "Feeling safe",
    "green-spaces": "Outdoors and the seafront", "youth-provision": "Children and young people",
    "not-listened-to": "Being heard", "digital-exclusion": "Online and phones",
}
#: The note-taker's own summary lines under a heading (``Positive:`` is not a person).
SUMMARY: dict[str, list[str]] = {
    "loneliness": ["Positive: the Thursday coffee morning has started again and people like it.",
                   "Still a problem: evenings and weekends, nothing on."],
    "cost-of-living": ["Positive: the warm space and the fuel vouchers helped those who knew "
                       "about them.", "Still a problem: energy bills and food prices."],
    "transport": ["Positive: the Tuesday community minibus, when you can get a seat.",
                  "Still a problem: no evening or Sunday buses."],
    "gp-access": ["Positive: the pharmacist at Quay Road is very helpful.",
                  "Still a problem: the eight o'clock phone queue."],
    "housing-conditions": ["Positive: one or two repairs got done after the last meeting.",
                           "Still a problem: damp and mould, and repairs never finished."],
    "community-safety": ["Positive: new lights on the harbour steps."],
    "green-spaces": ["Positive: the beach clean volunteers."],
    "youth-provision": ["Positive: the holiday food and fun scheme in the summer."],
    "not-listened-to": ["Still a problem: people never hear what happened to their views."],
    "digital-exclusion": ["Positive: the Friday digital help session at the library."],
}

#: Housekeeping: the facilitator's opening (in a room / online), the middle and the close, and
#: participants' asides.
OPEN_ROOM = ["Right, shall we make a start? Thanks for coming out, grab a tea if you haven't.",
             "Morning everyone, lovely to see some new faces. Shall we go round and say our "
             "names?", "Okay, let's begin. Nothing leaves this room with your surname on it."]
OPEN_ONLINE = ["Can everyone hear me okay? Give me a wave if you can.", "Hi all, I'll give it "
               "another minute for people to join.", "Can you mute if you're not speaking? "
               "There's a bit of an echo.", "Just to say this is being recorded for the notes, "
               "first names only."]
MIDDLE = ["Let's take five minutes for a break.", "Okay, I'm conscious of time, so let's move "
          "on.", "Thank you, that's really helpful.", "Can I bring in someone we haven't heard "
          "from yet?", "Sorry, can I just pause us there for a second?"]
CLOSE = ["Thank you all so much. We'll send the notes round before the next one.",
         "That's time. Thanks everyone, this has been really useful.", "Brilliant, thank you. "
         "Same time next year, if not before."]
ASIDES = ["Sorry I'm late, the bus didn't come.", "Can you hear me now? I was on mute.",
          "Sorry, my camera's not working.", "I'll have to leave at half past for the school "
          "run.", "Is there any more tea in the pot?", "Sorry, the baby's just woken up.",
          "You've frozen, we can't hear you.", "Can you say that again? It cut out.",
          "Shall I open a window? It's boiling in here."]

#: More of the same, written after a first build showed where the bank ran thin; ``CRD|``-style
#: tags name several communities (here: not the young parents).
_MORE: dict[str, list[str]] = {
    "loneliness": [
        "The phone doesn't ring. I check it's working sometimes.",
        "Y|At the school gate the other mums are all in their little groups and I just stand "
        "there with the pram.",
        "Y|My mum's in Plymouth and my nan died last year, so there's nobody to just pop round.",
        "M|At Christmas everyone went home to their families and I stayed here. I ate alone in "
        "the flat.",
        "M|My English is good enough for work but not for jokes, so I can't really make friends.",
        "D|When the carers come it's fifteen minutes and they're looking at the clock. That's my "
        "company for the day.",
        "D|I used to be out every night, I had a job and a social life, and then the stroke, and "
        "now I'm lucky if someone rings.",
        "C|My friends are lovely but they don't understand, they say you must get a break "
        "sometimes, and I just laugh.",
        "C|He doesn't really know who I am any more, so I'm lonely even sat next to him.",
        "CRD|My neighbour of forty years moved into a home and now the house next door is an "
        "Airbnb with a key safe.",
        "CRD|I go to church mainly for the coffee after, if I'm honest. It's the only chat I get.",
        "I'd love a walking group, something gentle, where you don't have to be sporty.",
        "I don't want a support group, I want a friend.",
        "I'm surrounded by people at work and I still go home and feel like nobody knows me.",
        "You get to the point where you'd talk to anyone. The postman runs when he sees me.",
        "Quiet. The house is so quiet.",
        "I joined a Facebook group for the town but it's all arguments about parking.",
        "If I died on a Friday nobody would find me till the Tuesday. That's the truth.",
        "The men's shed was good but it's a long way out, and it's all old blokes.",
    ],
    "gp-access": [
        "The nurse practitioner is brilliant, but you can only see her if you get through on the "
        "phone first, so.",
        "My repeat prescription keeps getting lost between the surgery and the chemist.",
        "I was told to phone back in a week for my results, and then told to phone back in "
        "another week.",
        "Y|The health visitor only does phone calls now, I've not seen her in person since the "
        "baby was born.",
        "Y|You can't get the kids seen on the same day unless they're really ill, and how do you "
        "know until it's too late?",
        "M|They would not register me without an NHS number, but to get the number I need to "
        "register. It is a circle.",
        "D|I've been waiting fourteen months for a wheelchair assessment and my chair's falling "
        "apart.",
        "D|They never book a BSL interpreter, so I have to bring my daughter and she hears "
        "everything.",
        "C|Trying to get respite care for Mum, you're passed from pillar to post, social care says "
        "it's health, health says it's social care.",
        "CRD|My husband was in Kingsreach for three weeks and I couldn't visit more than twice, no "
        "way of getting there.",
        "The online form asks you if it's an emergency, and if it was I wouldn't be filling in "
        "a form.",
        "There's no walk-in any more. There used to be a walk-in at the cottage hospital.",
        "They said there's a four-month wait for a routine appointment. Routine. Four months.",
        "I get the impression they're hoping you'll just get better on your own.",
        "I sat in A and E for nine hours with my shoulder, on a plastic chair.",
        "The pharmacy's got a queue out the door every morning since they shut the other one.",
        "Even the physio is by video now, how are you meant to show them your knee on a phone?",
        "My dad's hearing aids broke and the audiology waiting list is six months.",
    ],
    "not-listened-to": [
        "They ask us, then they do exactly what they were going to do anyway.",
        "The minutes of the last meeting said 'noted'. That's all. 'Noted'.",
        "We're just a box they tick so they can say they consulted.",
        "I asked a question at the council meeting and they said they'd write back. That was in "
        "the spring.",
        "The decisions are all made by people who've never been on a bus here.",
        "Nobody from the council has set foot in our street in years.",
        "It's always the same five people who get listened to, and it's never us.",
        "Honestly I nearly didn't come today. What's the point?",
        "They changed the bin collection and the first we knew was when nobody came.",
        "R|We're the bottom of every list because there aren't enough of us to matter at an "
        "election.",
        "R|They closed the village school consultation before half the village had heard about "
        "it.",
        "M|When we go to the council they look at our faces and already they don't listen.",
        "M|They have a form to give feedback, but it is only in English and only online.",
        "D|I get asked my views, and then the report comes out in a format I can't read.",
        "D|Every access audit we've done for them, they thank us and then build the thing "
        "exactly as planned.",
        "Y|They talk to your partner or your mum instead of you, like you're a kid yourself.",
        "Y|I told the health visitor I was struggling and she just gave me a leaflet and left.",
        "C|At the care review they talked about Dad for an hour and nobody asked what I could "
        "actually manage.",
        "You want people to take part and then you never tell them what happened. People aren't "
        "daft.",
        "If I could get one person to just ring me back, I'd be happy.",
        "Put it in writing, they say. I've put it in writing. I've got a folder this thick.",
    ],
    "digital-exclusion": [
        "I can do email, just about, but these apps want a new password every five minutes.",
        "I don't have a smartphone. I've got a phone that makes calls. That should be enough.",
        "The council's rubbish bin booking is online only, so my old sofa's still in the garden.",
        "My data runs out and then I can't do anything until the next month.",
        "I had to apply for my bus pass renewal online and I couldn't upload the photo.",
        "It's all 'scan this code' and 'download our app', and I just walk away.",
        "You used to be able to pay at the post office, now it's online or nothing.",
        "R|The mobile signal drops out every time it rains, so online appointments are no good "
        "out here.",
        "M|The school sends everything through an app, and it's in English, and my phone is old "
        "so the app won't install.",
        "D|The council website has a chat bot that doesn't understand me, and there's no number "
        "to ring.",
        "Y|My phone's got a cracked screen and half of it doesn't work, so forms are a nightmare.",
        "C|I do Mum's banking, her prescriptions, her council tax, all online on my phone, as well "
        "as my own.",
        "CRD|I'm frightened of doing something wrong online and losing all my money.",
        "They've shut the job centre's computers, so you need your own device to look for work.",
        "The library help session is good, but one hour a week for the whole town isn't enough.",
    ],
    "community-safety": [
        "Someone's been going round trying garden sheds on our road.",
        "The junction by the school is an accident waiting to happen.",
        "There were two stabbings in town last year. You never used to hear of that here.",
        "Kids throwing stones at the buses on the estate, the drivers won't come in after dark.",
        "R|The lane's got no lights at all and the lorries from the quarry don't slow down.",
        "M|I walk home from the late shift at eleven and I hold my keys in my hand.",
        "D|My mobility scooter got nicked from outside the chemist in broad daylight.",
        "Y|People vape and smoke right outside the baby group door, and there's been a fight "
        "there.",
        "C|Mum opened the door to a man saying he was from the water board. He wasn't.",
        "The police say they haven't got the numbers. So who do you call?",
        "The e-scooters on the pavement, they come out of nowhere.",
        "The car park behind the Co-op at night is not a nice place.",
    ],
    "green-spaces": [
        "They've fenced off the dunes for the new holiday park, that's where we used to walk the "
        "dogs.",
        "The beach car park went up to eight pounds a day, so locals can't even go to our own "
        "beach.",
        "The footpath to the cove is all steps, and the handrail's rotten.",
        "The trees on Marine Parade were cut down and never replaced.",
        "Somewhere green to sit that isn't full of tourists in summer would be nice.",
        "R|The churchyard is the only green space with a bench in the village, and it's lovely, "
        "but it's a churchyard.",
        "M|The children have nowhere to play football, the field says no ball games.",
        "D|There's not a single accessible picnic table anywhere along the front.",
        "Y|The sandpit at the rec is full of cigarette ends and worse.",
        "C|Having the harbour wall to walk along with him, it's the one thing he still enjoys.",
        "The lido's been shut for five years. It was the heart of the town in summer.",
        "The litter pickers are all volunteers, the council stopped doing the back beach.",
    ],
    "youth-provision": [
        "The library used to do a Saturday club for kids, that's gone.",
        "My fourteen-year-old has nothing to do but sit in his room on the PlayStation.",
        "Y|The free nursery hours don't start until they're three, and I need to work now.",
        "Y|Stay and play at the family hub got cut to once a fortnight.",
        "M|There is no club where my daughter can keep her Portuguese, she is losing it.",
        "D|There is no holiday club that will take a child with his needs. None.",
        "R|The village youth club was run by one man for thirty years and when he retired it just "
        "stopped.",
        "C|Young carers need a break too, and there's nothing for them round here.",
        "The leisure centre's too expensive for a family of five.",
        "Teenagers need jobs, Saturday jobs, and there's nothing outside the summer season.",
    ],
    "housing-conditions": [
        "Our storage heaters are from the eighties. They either roast you or do nothing.",
        "The private landlords round here know there's nowhere else to go, so they don't bother.",
        "Y|We've been in temporary accommodation for fourteen months with a toddler.",
        "M|We pay three hundred pounds each for a room with mould, and the agency takes it from "
        "our pay.",
        "D|The ramp to our front door is rotten, and the housing association say it's not their "
        "responsibility.",
        "R|The council houses in the village were sold off, now they're second homes.",
        "C|We had to move Dad's bed into the living room because there's no downstairs toilet.",
        "The repairs man came, said he needed a part, and never came back.",
        "We've got slugs coming up through the kitchen floor, I'm not joking.",
        "Winter let, they call it. September to May, and then you're out for the tourists.",
    ],
    "cost-of-living": [
        "I put the heating on for an hour when the kids get in, and that's it.",
        "The school uniform alone was two hundred pounds, with the logo on everything.",
        "M|Rent, bills, and money home. After that there is nothing for us.",
        "D|The extra costs of being disabled don't go away just because prices went up.",
        "Y|I've been borrowing off my mum every month and she's skint herself.",
        "R|We've started collecting wood off the beach for the burner.",
        "C|I gave up my job to care for him, and we went from two wages to benefits overnight.",
        "CRD|I've gone back to doing a paper round at sixty-one, that's where we are.",
    ],
}
for _concern, _lines in _MORE.items():
    CORES[_concern].extend(_lines)

_MORE_BOTH: dict[tuple[str, str], list[str]] = {
    ("transport", "loneliness"): [
        "No buses on a Sunday means I don't see my sister on a Sunday, and that was our day.",
        "The minibus to the lunch club stopped running and that was the last thing I went to.",
        "I'd go to the coffee morning in Saltmere but it's two buses each way, so I sit at home.",
        "Without a car you can't get anywhere out here, so you just don't see anyone from one "
        "week to the next.",
        "The last bus is before six, so anything social in the evening, forget it, I haven't "
        "been out at night in two years.",
        "My friends are all in Kingsreach and the bus takes an hour and a half, so we just text "
        "now.",
    ],
    ("not-listened-to", "housing-conditions"): [
        "I've been to every tenants' meeting about the mould and they write it down and nothing "
        "happens, I don't think anyone reads it.",
        "I emailed the councillor about the damp with photos and never got a reply, not even an "
        "acknowledgement.",
        "They asked us what we wanted from the estate regeneration, we said fix the windows, and "
        "they built a bike shelter.",
        "The complaint about the leak went to stage two and they still closed it without "
        "speaking to me.",
        "Every year they survey us about repairs, and every year the same roof leaks.",
    ],
    ("transport", "gp-access"): [
        "The dial-a-ride won't book for hospital appointments any more, they say it's the NHS "
        "transport's job, and the NHS transport says I don't qualify.",
        "My physio was at eight in the morning in Kingsreach, and there's no bus that early, so "
        "I missed it and went back on the list.",
        "I spent thirty pounds on taxis to get to a ten-minute appointment at the surgery.",
    ],
    ("youth-provision", "community-safety"): [
        "Since the youth club shut the lads just ride their bikes round the car park all night, "
        "and people are scared of them.",
        "Give the teenagers somewhere to go and half the trouble on the seafront would stop.",
        "My son got mugged for his phone on the way back from football, because the only "
        "football is across town.",
    ],
    ("cost-of-living", "loneliness"): [
        "I stopped going to the pub quiz because of the price of a pint, and that was my night "
        "out with people.",
        "Everyone's skint, so nobody goes out, so you don't see anybody.",
    ],
    ("loneliness", "digital-exclusion"): [
        "My family all do video calls and I can't work it, so I just hear their voices when they "
        "ring the landline, which isn't often.",
        "The groups all advertise on Facebook, so if you're not on it you'd never know they "
        "existed.",
    ],
    ("loneliness", "cost-of-living"): [
        "I'd have people round but I can't heat the front room, so I don't.",
    ],
}
for _pair, _lines in _MORE_BOTH.items():
    BOTH.setdefault(_pair, []).extend(_lines)

#: How someone moves on to a second point when a turn or an answer covers two concerns.
AND_ALSO = ["And ", "On top of that, ", "And another thing, ", "Plus ", "Also, ",
            "And while I'm at it, "]
