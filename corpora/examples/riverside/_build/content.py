"""What the people of Riverside say: the utterances of the example corpus, by concern.

Every line here was written for listenlens; the town, its estates, its buses and its people are
fictional. ``CORES`` holds what people say about each concern, ``TAILS`` what they sometimes add
after it, ``OPENERS`` how people start talking (hesitations, fillers, cross-talk). Slots in braces
(``{estate}``, ``{bus}``, ``{surgery}``) are filled with the speaker's own community's places.
"""

from __future__ import annotations

#: The concerns (the themes of the ground-truth key), with a label for the README.
THEMES: dict[str, str] = {
    "damp-mould": "Damp, mould and repairs in council and housing-association homes",
    "gp-access": "Getting a GP appointment",
    "youth-mental-health": "Mental health support for young people",
    "cost-of-living": "Cost of living and energy bills",
    "buses-transport": "Bus routes, fares and getting about",
    "loneliness": "Loneliness and social isolation",
    "language-interpreters": "Language barriers and interpreters in health services",
    "youth-spaces": "Youth spaces and things to do",
    "safety-lighting": "Safety, street lighting and policing",
    "digital-exclusion": "Digital exclusion: online-only services",
    "food-banks": "Food banks and food support",
    "green-spaces-air": "Green spaces, litter and air quality",
}

CORES: dict[str, list[str]] = {
    "damp-mould": [
        "Y|Our flat's that damp my clothes smell of it at school and people say stuff.",
        "Y|There's black mould on the wall behind my bed, my mum's reported it loads of times.",
        "P|The mould in my daughter's bedroom is back again, black all round the window, and she's "
        "got a cough that won't shift.",
        "A|I've reported the damp four times since October and every time they send someone to "
        "wipe it with bleach and paint over it.",
        "A|They keep telling us to open the windows and put the heating on, but how do you do both "
        "when you can't afford the heating?",
        "There's water coming through the ceiling in the bathroom whenever the flat above has a "
        "shower.",
        "P|My lad's asthma has got worse since we moved into {estate}, the GP said the damp won't "
        "be helping.",
        "A|We've had a repair ticket open for the extractor fan since the summer and nobody's been "
        "out.",
        "A|You phone the repairs line, you wait forty minutes, then it cuts you off. Then you start "
        "again.",
        "A|The housing officer basically said it's our lifestyle, drying clothes inside, but where "
        "else am I supposed to dry them?",
        "P|All the clothes in the wardrobe smell musty, I've had to throw out the kids' school "
        "uniforms twice.",
        "After that little boy died everyone promised things would change, and honestly it's no "
        "different on our block.",
        "A|The contractors come, they look, they take photos, and then nothing happens for months.",
        "There's mould behind the sofa, behind the beds, everywhere you can't see. You move the "
        "furniture and it's green.",
        "A|I'd like someone from the council to actually come and sleep a night in one of these "
        "flats in January.",
        "A|The windows in {estate} are the original ones from the seventies, the seals have all "
        "gone and the rain just pours in.",
        "A|We got the damp survey done and the report said urgent, that was eleven weeks ago.",
        "A|My neighbour's ceiling actually came down last winter, luckily nobody was underneath it.",
        "A|I spend my Sunday mornings scrubbing the walls with a sponge, it's like painting the "
        "Forth Bridge.",
        "A|When you complain about repairs they bring up your rent account, so people just keep "
        "quiet.",
        "A|The dehumidifier helps a bit but it costs a fortune to run, so it's one or the other.",
        "A|They closed my complaint as resolved but the mould's still there, I've got photos with "
        "the dates on.",
        "A|the kitchen cupboards are rotting at the back from the damp, you can push your finger "
        "throught the board",
        "A|we were told the whole block was getting new ventilation in the spring, and then it "
        "just... didn't happen.",
        "P|The baby's cot is in our room now because the little bedroom is too damp to sleep in.",
        "A|They sent a surveyor who said it was condensation, then a different one who said it was "
        "rising damp, and neither of them fixed anything.",
    ],
    "gp-access": [
        "Y|I tried to book a GP appointment on my own for the first time and gave up after three "
        "days of trying.",
        "Y|You need your parent to ring for you, so you can't go about anything private.",
        "You ring at eight o'clock on the dot and you're number thirty-two in the queue, and by "
        "the time you get through all the appointments have gone.",
        "I haven't seen the same doctor twice in three years, you have to explain everything from "
        "the beginning every time.",
        "A|The receptionist asks you what's wrong in front of the whole waiting room, I'm not "
        "telling her that.",
        "They said the earliest routine appointment at {surgery} was five weeks away.",
        "In the end I went to A&E because I couldn't get seen, and I felt terrible taking up a "
        "bed.",
        "A|My mum needed a blood test and they sent her to the hospital across town, two buses each "
        "way.",
        "The phone system says press one, press two, and then it just hangs up on you.",
        "I got an appointment with a pharmacist when what I actually needed was a doctor.",
        "It used to be you could walk in and wait. Now there's a sign on the door saying phone "
        "only.",
        "They told me to fill in the online consultation form but it asks you fifty questions "
        "and then says call 111.",
        "Getting a repeat prescription sorted is a full-time job, it goes missing somewhere "
        "between the chemist and the surgery.",
        "P|My husband waited four months for a referral letter that never got sent.",
        "O|The doctor gave me ten minutes and said one problem per appointment, but I'm "
        "seventy-eight, I've got more than one problem.",
        "A phone call with the GP is okay sometimes, but you can't show them a rash down the "
        "phone, can you.",
        "P|Children should be seen the same day, that's what they told us, but my youngest waited "
        "three days with a temperature.",
        "They've got a new app for booking now and it never has any slots either, so what's the "
        "point.",
        "I dont even bother ringing anymore, I just go to the pharmacy and hope for the best.",
        "A|The surgery closed its list so new families on the estate can't even register.",
        "You have to fight to get a face to face appointment, and not everyone has the energy to "
        "fight.",
        "O|My diabetes review got cancelled twice and nobody rang to rebook it.",
        "By the time they ring you back you're at work or on the bus and you miss the call, and "
        "that's your chance gone.",
        "Getting an appointment at {surgery} feels like winning the lottery.",
    ],
    "youth-mental-health": [
        "O|My granddaughter is fourteen and she's waiting for counselling, her mum's at her wits' "
        "end.",
        "O|In my day you just got on with it, but I can see the youngsters now are really "
        "struggling.",
        "Y|Loads of people in my year are struggling with anxiety and the waiting list for CAMHS is "
        "like eighteen months.",
        "P|My daughter self-referred to the counselling at school and they said there's a waiting "
        "list until after her exams.",
        "You only get help when it's a crisis. Nobody helps you before it gets that bad.",
        "There's so much pressure on social media, you're comparing yourself all day and it "
        "messes with your head.",
        "P|My son stopped going out, stopped eating with us, and the GP just gave us a leaflet with "
        "a website on it.",
        "Y|The school counsellor is only in on Tuesdays and there's like nine hundred of us.",
        "When you turn eighteen you just fall off the children's service and the adult one "
        "doesn't know you exist.",
        "Y|A mate of mine waited so long for an assessment he just gave up asking.",
        "I think a lot of lads don't talk about it because they don't want to look weak, so they "
        "just go quiet.",
        "Y|Exam stress is massive this year, half my friends aren't sleeping properly.",
        "If there was a drop-in where you could just talk to someone, no forms, no referral, I'd "
        "actually go.",
        "P|In our community people don't always have the words for depression, so the young ones "
        "hide it from their parents.",
        "The online counselling thing is okay but it's only text chat and it feels like you're "
        "talking to a robot.",
        "Y|I had panic attacks in Year 10 and the only reason I got through it was a teacher who "
        "actually noticed.",
        "Everyone says talk to someone but then there's no one to talk to, it's just numbers on "
        "a poster.",
        "Y|Since lockdown my little brother hasn't really been the same, he doesn't see his friends "
        "anymore.",
        "P|There needs to be someone who looks like us and gets our culture, otherwise kids won't "
        "open up.",
        "Honestly it feels like half the people I know are on a waiting list for something",
        "The crisis line put me on hold, and when you're in that state being on hold is the worst "
        "thing.",
        "P|My cousin was self-harming and it took the school months to even tell her mum.",
        "Y|People my age are really low, like properly low, and it's treated like we're just being "
        "dramatic.",
        "Y|I got told my anxiety wasn't bad enough for the service, so how bad does it have to "
        "get?",
    ],
    "cost-of-living": [
        "Y|My part-time job money all goes on bus fares and lunch now, there's nothing left.",
        "Y|My mum's stressed about bills all the time and you can tell, so I don't ask for "
        "anything.",
        "Y|Some of my mates skip lunch because they don't get free school meals but they can't "
        "afford it either.",
        "A|Our electric went from sixty pound a month to nearly two hundred, and we haven't changed "
        "anything.",
        "A|I'm on a prepayment meter and some weeks I just sit in the dark and don't top it up.",
        "Food prices are ridiculous, bread, milk, butter, it's all gone up and wages haven't.",
        "A|I've started going to bed at seven with a hot water bottle so I don't have to put the "
        "heating on.",
        "A|My wages are the same as two years ago but everything else costs more, I work full time "
        "and I'm still short.",
        "A|The energy rebate helped a bit, but it's gone now and the bills haven't come down.",
        "A|We're choosing between heating and eating, that's not a slogan, that's our house every "
        "week.",
        "A|My rent went up again in April, the third time in two years.",
        "P|I can't afford school trips for the kids, I feel like I'm letting them down.",
        "P|People are taking on debt just to pay for the basics, buy now pay later for nappies.",
        "A|The standing charge alone is more than I used to pay for the whole month.",
        "I've cut back on everything, we don't go out, we don't buy clothes, and it's still not "
        "enough.",
        "O|My pension doesn't stretch anymore, I'm counting every penny at the checkout.",
        "A|The warm space at the library has been a lifesaver for me this winter, I go every "
        "afternoon.",
        "A|Universal Credit got delayed for five weeks and we had nothing, literally nothing in the "
        "cupboards.",
        "P|Nappies, formula, school shoes, everything for kids has gone up and you can't cut back "
        "on that.",
        "I only cook every other day now, the oven uses too much electric.",
        "A|we got a letter saying our direct debit's going up to 240 a month, I nearly cried",
        "A|There's a lot of pride round here, people won't tell you they're struggling, but they "
        "are.",
        "A|The council tax went up as well, it's like everything's happening at once.",
        "A|I've got two jobs and I still had to ask my mum for money for the gas last month.",
        "P|I keep the heating off till the kids get home from school and then it's an hour, that's "
        "all we can do.",
        "Even the cheap supermarket isn't cheap anymore, I go round with a calculator on my "
        "phone.",
    ],
    "buses-transport": [
        "Y|The drivers won't let you on with a student pass if it's a bit scratched, it's so petty.",
        "They cut {bus} back to once an hour and now it doesn't run at all after six.",
        "The bus is supposed to come every twenty minutes but you can stand there for an hour and "
        "then two turn up at once.",
        "For me the bus is how I get to the hospital, the shops, everything, so when it doesn't "
        "come I'm just stuck.",
        "The fares keep going up, four pound for a return into town is too much for a lot of us.",
        "O|There's no shelter at our stop and no seat, and I can't stand for long with my hip.",
        "O|The drivers don't always wait for you to sit down and I've nearly fallen twice.",
        "O|They moved the stop further up the hill and it's too far for people with walking "
        "frames.",
        "You can't get from Eastgate to the hospital without going into the town centre first and "
        "changing.",
        "The timetable at the stop is out of date, and the app says one thing and the screen says "
        "another.",
        "O|My grandson has to get two buses to college, it takes him over an hour each way.",
        "The last bus back from town is at half nine so if you work a late shift you're walking.",
        "O|The ring-and-ride service was brilliant but they stopped it, and nothing replaced it.",
        "Taxis are the only option in the evening and they cost a fortune.",
        "Half the time the bus is full by the time it gets to us and it just drives past.",
        "O|If the bus pass started before half nine I could get to my morning appointments.",
        "Y|Young people pay adult fares from sixteen and that's a lot when you're at college with "
        "no money",
        "There's no bus on a Sunday at all now, so if you want to visit anyone you can't.",
        "O|The ramp on the bus was broken and the driver told me to wait for the next one, with my "
        "scooter, in the rain.",
        "Since they rerouted {bus} it doesn't go past the health centre anymore, which was the "
        "whole reason I used it.",
        "O|I missed my eye appointment because {bus} just never turned up, and they charged me for "
        "a missed slot.",
    ],
    "loneliness": [
        "Y|You can have hundreds of followers and still feel like you've got nobody to talk to.",
        "Y|After my mates went to different colleges I basically stopped going out.",
        "O|Since my husband died the only person I talk to some days is the lady on the till at the "
        "Co-op.",
        "Weekends are the worst, the phone doesn't ring from Friday to Monday.",
        "O|The lunch club used to be three days a week and now it's just the one, and that's my "
        "only outing.",
        "O|My children live down south, they ring on a Sunday but it's not the same as seeing "
        "someone.",
        "O|When you stop driving your world gets very small very quickly.",
        "O|I came to this forum because I hadn't had a proper conversation in weeks.",
        "A lot of people on my floor don't open their doors anymore, you don't see them for "
        "days.",
        "It's not that there's nothing on, it's that you need someone to go with you the first "
        "time.",
        "I'd love a befriender, just someone to pop in for a cup of tea once a week.",
        "O|At Christmas I sat on my own and watched the telly all day, that's the truth.",
        "P|Loneliness isn't just old people you know, I felt it after I had my baby, stuck in the "
        "flat on my own.",
        "We used to have a community centre where you'd see everyone, then they sold it for "
        "flats.",
        "Some days I put my coat on and go round the shops just to hear people talking.",
        "When the library cut its hours I lost the one place I could just sit among people.",
        "O|I worry that if I had a fall nobody would know for days.",
        "The chatty bench idea in the park was lovely, more of that please.",
        "My neighbour passed away last year and it was a week before anyone noticed, that really "
        "shook me.",
        "O|coming here on a Wednesday is the highlight of my week, I'm not joking",
        "O|Since I lost my hearing a bit I don't go to things, you can't follow what people are "
        "saying and you feel daft.",
        "O|I used to be in the choir, the bowls club, all sorts, and one by one they've all "
        "folded.",
    ],
    "language-interpreters": [
        "Y|I have to translate for my mum at the doctor's and sometimes I don't know the medical "
        "words either.",
        "P|When I go to the hospital they don't book an interpreter, so my twelve-year-old has to "
        "translate for me about women's things.",
        "P|The receptionist gets impatient when my English is slow, and then she just talks to my "
        "husband instead.",
        "P|Letters from the surgery only come in English, I have to wait for my son to come home to "
        "read them.",
        "They use a phone interpreter but the line is bad and sometimes it's the wrong dialect.",
        "P|I didn't understand what the midwife said about my blood test for two weeks, I was so "
        "scared.",
        "If you ask for an interpreter they say there isn't one today, come back another time.",
        "We need health information in Somali, not just the usual languages on the leaflet.",
        "A|My mother says yes to everything the doctor says because she doesn't want to look "
        "stupid, but she hasn't understood.",
        "The 111 service is impossible if your English isn't good, you can't explain on the "
        "phone.",
        "P|A community health worker who speaks our language would change everything for the "
        "mothers here.",
        "P|The pharmacist gave me the medicine but I didn't know when to take it, the label is only "
        "in English.",
        "P|They sent the appointment text in English and I missed it, and then they said I didn't "
        "attend.",
        "A|Some of the older women won't go to the doctor at all because they're embarrassed about "
        "the language.",
        "P|When there was a female interpreter I could finally say what was wrong, it made a big "
        "difference.",
        "P|My English class was cancelled when the funding stopped, I was learning so well.",
        "A|It's not only the words, it's also understanding how the system works, who you ring, "
        "where you go.",
        "P|the app for booking is english only so i cant use it even if i had the data",
        "P|I had to use my neighbour to interpret at the school meeting and now everyone knows my "
        "business.",
        "P|The interpreter came on video on a tablet and the nurse kept moving it so I couldn't "
        "see her face.",
        "P|My husband translates for me but I don't want him to know everything about my health.",
    ],
    "youth-spaces": [
        "O|There's nothing for the youngsters round here, no wonder they hang about outside the "
        "flats.",
        "P|My teenagers have nowhere to go that doesn't cost money, so they're just in their rooms "
        "on screens.",
        "Y|There's literally nowhere to go after school, so people just hang around outside the "
        "shops and then get moved on.",
        "Y|The youth club shut in 2021 and the building's still just sitting there empty.",
        "Y|If you want to play football you have to pay for the astro, it's like forty quid an "
        "hour.",
        "Y|Everything good is in town and we can't afford to get there.",
        "Y|We need somewhere warm and free where nobody's looking at you like you're trouble.",
        "Y|The skate park's falling apart, half the ramps are taped off.",
        "Y|I'd go to a music studio thing in a heartbeat, there's so much talent round here and "
        "nowhere to use it.",
        "Y|The library kicks you out if you're in a group and talking.",
        "Y|Adults complain that young people are always on their phones, but what else is there to "
        "do.",
        "Y|When the summer holiday club was on it was packed every day, that shows people want it.",
        "Y|We had a youth worker called Marcus who was amazing and then his funding ended and he "
        "just left.",
        "Y|A lot of the stuff that's on is for little kids or it's sport, there's nothing for "
        "people who aren't sporty.",
        "Y|Give us a space and let us run it, we're not children, we can organise stuff.",
        "Y|Honestly if there was a place open till nine on a Friday it would keep a lot of people "
        "out of bother.",
        "Y|They built new flats where the fields were and didn't put anything in for teenagers.",
        "Y|the cafe at the leisure centre used to let us sit there but now you have to buy "
        "something every hour",
        "Y|My little sister goes to the girls' football on a Saturday and it's the best thing in "
        "her week, but it's only thirty places.",
        "Y|Even just a room with wifi, a pool table and somewhere to charge your phone would do.",
    ],
    "safety-lighting": [
        "Y|Walking back from football training in the dark is proper sketchy by the garages.",
        "Half the street lights on the path by the canal are out, and I won't walk it after "
        "dark.",
        "There's been drug dealing in the stairwell and the door entry system has been broken for "
        "months.",
        "Y|I got followed home from the bus stop in November and now my mum picks me up every "
        "time.",
        "You never see a police officer walking round anymore, only when something's already "
        "happened.",
        "The underpass by the station smells of wee and there's no lighting, it's scary even in "
        "the day.",
        "A|We reported the broken light outside the flats three times, it's still out.",
        "Cars race up and down the main road at night, someone's going to get killed.",
        "Y|Girls at my school don't go through the park after four in winter, it's just not worth "
        "it.",
        "There's been a spate of cars broken into, and when you ring 101 you're on hold forever.",
        "I'd feel better if there were more people around, like if the shops stayed open a bit "
        "later.",
        "A|The PCSOs used to come to the residents' meeting and they knew our names. That's all "
        "gone.",
        "The CCTV camera on the corner hasn't worked in years, everybody knows it's just for "
        "show.",
        "Scooters and e-bikes on the pavement going full speed, I've been clipped twice.",
        "Anti-social behaviour outside the flats at two in the morning, shouting, fireworks, and "
        "nobody comes.",
        "they cut the hedges back by the alley which helped but theres still no light down there",
        "P|My daughter carries her keys between her fingers walking home. She's fifteen.",
        "P|The lift in {estate} is broken half the time and the stairs are pitch black, I don't let "
        "the kids use them on their own.",
        "Somebody set fire to the bins behind {estate} again, that's the third time this year.",
    ],
    "digital-exclusion": [
        "Y|Not everyone's got a laptop at home, I did my coursework on my phone for a whole year.",
        "Y|Our wifi got cut off when mum couldn't pay the bill and all my homework's online.",
        "Everything's online now, the council, the bank, the doctors, and I haven't got a "
        "computer.",
        "O|They told me to renew my bus pass online. I said I haven't got the internet, love, and "
        "she just shrugged.",
        "My phone's too old for the apps, it won't update, so I can't get the NHS login.",
        "A|I don't trust putting my bank details on the internet, you hear about all these scams.",
        "O|My grandson set up my email but I've forgotten the password and I daren't touch it "
        "now.",
        "A|The bank in town closed so now it's online banking or a twenty-minute bus ride to the "
        "next one.",
        "You ring the council and a recorded voice says visit our website. Well I can't.",
        "The library computers are always booked and there's a half-hour limit.",
        "Data costs money, I can't be doing video calls on my phone when I've only got a few "
        "gig.",
        "I'd happily learn if someone sat with me and was patient, the classes go too fast.",
        "Parking meters that only take an app, I mean honestly, what do you do if you don't have "
        "a smartphone.",
        "We need a person on the end of the phone, a real person, not a chat box.",
        "A|The housing register is all online, my neighbour's been bidding on the wrong properties "
        "for months because she didn't understand it.",
        "I missed a hospital appointment because the letter went to my email instead of coming "
        "in the post.",
        "Forms that time out before you've finished them, then you've lost it all and have to "
        "start again.",
        "they said scan the QR code, I said what's a QR code",
        "O|The blue badge renewal is online only now and I had to pay my nephew's friend to do it "
        "for me.",
        "Every letter says go to the website, and the website says ring this number, and the "
        "number says go to the website.",
    ],
    "food-banks": [
        "Y|The breakfast club at school is the only breakfast some kids get, that's just true.",
        "Y|We help out at the food bank for our volunteering hours and you see people from our "
        "school there.",
        "A|I never thought I'd use a food bank, I worked all my life, but last winter I had to.",
        "The food bank at St Mark's is brilliant but you need a voucher and you can only go three "
        "times.",
        "They've run out of the basics like tinned tomatoes and pasta a couple of times this "
        "month.",
        "It's mostly working families now at the food bank, nurses, carers, people like that.",
        "You feel ashamed going in, even though the volunteers are lovely.",
        "The community pantry is better because you pay a couple of pound and choose your own "
        "stuff, it feels more normal.",
        "P|The food parcels don't always work for us, there's things we can't eat for religious "
        "reasons and it gets wasted.",
        "P|My kids get free school meals in term time but the holidays are really hard, that's "
        "when we go to the food bank.",
        "A|I volunteer at the food bank and the queues have doubled since last year.",
        "There's no fresh fruit or veg most weeks, it's all tins and packets.",
        "A|The food bank is only open Tuesday mornings and I work Tuesday mornings.",
        "P|Without the Friday food share at the mosque a lot of families here wouldn't manage.",
        "A|I take the parcel but I can't always cook what's in it because I've not got the gas on.",
        "they gave us a food voucher but the nearest place you can use it is two buses away",
        "P|The holiday activity scheme with a hot lunch was a godsend, the kids ate properly every "
        "day for four weeks.",
    ],
    "green-spaces-air": [
        "Millbrook Park used to be lovely and now it's full of litter and the toilets are "
        "locked.",
        "The air by the main road is horrible, you can taste the fumes when you walk to school.",
        "My inhaler use goes right up in summer when the traffic's backed up outside our flat.",
        "They're talking about building on the playing field, that's the only green bit we've "
        "got.",
        "Fly-tipping round the back of the garages, mattresses, fridges, it's been there months.",
        "A community garden would be amazing, people could grow stuff and get out of the house.",
        "The trees they planted along the road all died because nobody watered them.",
        "P|Kids can't play out because the grass is full of dog mess and broken glass.",
        "There's a bench by the river I love but the path to it floods every time it rains.",
        "The lorries outside the depot sit with their engines running all day, that can't be "
        "healthy.",
        "The council mows the verges once a year now so the park just looks abandoned.",
        "If the park had proper lighting and a cafe people would use it more, it would feel safer "
        "too.",
        "Y|We did a litter pick last month with the youth council and filled forty bags in an "
        "hour.",
        "the canal towpath is the nicest walk in town but it's so overgrown you can't get a "
        "pushchair down it",
        "They put a big sign up about clean air near the school, but the cars still sit outside "
        "with their engines on at pick-up.",
    ],
}

#: More of what people said, written when the corpus grew to three events a year per community
#: (2023 and 2025). ``R|`` marks what is said about the buses after the 7's old route and the
#: evening services came back in April 2024 (never said before then).
MORE_CORES: dict[str, list[str]] = {
    "cost-of-living": [
        "Y|I've started doing extra shifts at the chippy on school nights because my mum's short "
        "every month.",
        "Y|A meal deal used to be three pound, now it's nearly four and a half, so I just have "
        "crisps.",
        "Y|My older sister moved back home because she couldn't afford her rent, so now I share a "
        "room again.",
        "Y|People in my year are saving for driving lessons and it's like fifty quid an hour now, "
        "it's never going to happen.",
        "Y|I don't go to things with my mates anymore because there's always a cost, even the "
        "cinema on cheap night.",
        "Y|My dad does deliveries and he's out till midnight most nights just to cover the bills.",
        "Y|Prom is basically off for loads of us, the ticket alone is sixty pound before the "
        "dress.",
        "A|I've put the gas on a budget plan but the debt from last winter just keeps rolling "
        "over.",
        "A|We've sold the car, we've cancelled the broadband, there's nothing left to cut.",
        "P|My husband sends money back home to his mother and now we can barely cover our own "
        "bills here.",
        "P|I've stopped buying meat, the children eat rice and beans most days and they're fed "
        "up.",
        "O|I've turned the fridge off and keep the milk on the windowsill, like we did when I was "
        "a girl.",
        "O|The winter fuel money going was a real blow, I was relying on that for the gas.",
        "A|The landlord put the rent up by ninety pound a month and said take it or leave it.",
        "A|I'm a teaching assistant and I've started using the clothes swap at school for my own "
        "kids.",
        "Every time I open a letter my stomach goes, it's always another bill or another increase.",
        "O|I only put the heating on when my granddaughter visits so she doesn't think I'm "
        "struggling.",
        "P|Swimming lessons, Brownies, football, I've had to stop all of it for the kids this "
        "year.",
    ],
    "food-banks": [
        "Y|There's a fridge at the youth club now where people leave food, and it's always empty "
        "by four.",
        "Y|My friend's family use the food bank and she's really embarrassed, she made me promise "
        "not to tell anyone.",
        "Y|School does a free toast and cereal thing before registration and it's packed every "
        "morning now.",
        "P|I was referred to the food bank by the health visitor, I cried in the car park before "
        "I went in.",
        "A|The pantry at the community centre has a waiting list now, you can't just turn up.",
        "O|At the lunch club they send us home with a bag of bits, and for some of us that's "
        "supper for two days.",
        "O|I'd never have believed I'd be going to the church for a tin of soup at my age.",
        "A|The food bank asked for donations of toiletries because people can't afford shampoo "
        "and sanitary towels either.",
        "P|The halal food share at the mosque has doubled since last year, there's a queue down "
        "the street.",
        "The food bank's moved to two days a week because the demand's gone through the roof.",
        "A|You need a referral from the Citizens Advice to get a parcel and they've got a three "
        "week wait.",
    ],
    "youth-mental-health": [
        "Y|Since the start of Year 11 I've had three friends stop coming into school because of "
        "anxiety.",
        "Y|The wellbeing room at school is basically a cupboard with beanbags, and you need a "
        "pass to use it.",
        "Y|Everyone's worried about money at home and it gets to you, you can't switch off from "
        "it.",
        "Y|I got referred to CAMHS in January and I've had one letter since, saying I'm on the "
        "list.",
        "Y|There was a suicide at the college last term and they did one assembly and then "
        "nothing else.",
        "Y|My mate's on the waiting list and meanwhile he's self-medicating, if you know what I "
        "mean.",
        "Y|Kooth is fine but when you're properly in a bad place typing to a stranger doesn't cut "
        "it.",
        "P|My daughter hasn't been to school since October, the school calls it attendance and I "
        "call it anxiety.",
        "P|My son is eighteen now and the adult service said he's not unwell enough, but he hasn't "
        "left his room in weeks.",
        "O|My grandson's on tablets for his nerves at sixteen, I never thought I'd see that.",
        "O|My granddaughter rings me at night when she can't sleep for worrying, and I'm the only "
        "one she'll tell.",
        "O|The young lad next door used to be so cheerful, now he never leaves the house, his mum "
        "says it's his nerves.",
        "P|My fifteen-year-old told me she feels like a burden, and I didn't know where to take "
        "her.",
        "P|The school sent my son home for his behaviour, but nobody asked why he was so angry "
        "and low.",
        "Y|A youth worker who just listens would do more than any app they keep pushing at us.",
    ],
    "digital-exclusion": [
        "O|The surgery stopped taking calls for repeat prescriptions, it's the app or nothing, and "
        "I haven't got a smartphone.",
        "O|They've closed the bank in the high street, the nearest one's in town and the lady said "
        "do it online.",
        "O|You can't even park at the hospital now without paying by an app.",
        "O|My gas meter reading has to go in online, or I get an estimated bill that's three times "
        "what it should be.",
        "O|My daughter set me up with a tablet but the updates keep changing everything and I'm "
        "back to square one.",
        "A|The council tax reduction form is online only, and it timed me out twice before I'd "
        "finished.",
        "P|Everything from the school comes on the app in English, so I miss the trips and the "
        "parents' evenings.",
        "P|Universal Credit journal messages, the NHS app, the school app, I have one phone and "
        "two children using it for homework.",
        "O|The digital help session at the library is once a fortnight and it's always booked "
        "up.",
        "A|Half the forms want a photo of your ID uploaded, and my phone camera doesn't work "
        "properly.",
        "O|They said book the flu jab online and I said if I could do that I'd be a lot younger.",
    ],
    "buses-transport": [
        "R|Since they brought the 7's old route back I can get to the hospital on one bus again, "
        "it's made such a difference.",
        "R|The evening buses coming back has been brilliant, I can do a late shift and not "
        "worry about getting home.",
        "R|I'll give them credit, the new timetable actually turns up most days now.",
        "R|Fair play, somebody listened about the buses, the later one's made a real difference.",
        "R|The buses are better since the spring but the fares could still do with coming down.",
        "R|Honestly the buses aren't the problem they were, there's other things I'd put first "
        "now.",
        "R|Now the route goes past the health centre again I don't need to beg lifts.",
        "R|The new shelter at our stop with a seat in it, I nearly wrote them a thank-you card.",
        "R|The two pound fare cap is good while it lasts, I just hope they don't take it away.",
        "R|The real-time screens at the stop work now, so at least you know when it's coming.",
        "O|I've not been to my sister's in Northfield since they cut {bus}, it's three changes "
        "now.",
        "Y|The {bus} stops at half six so there's no point going to anything after school.",
        "They took {bus} off the estate completely and the nearest stop's a fifteen minute walk "
        "uphill.",
        "O|I missed my grandson's christening because the Sunday bus had been cut and nobody "
        "told me.",
    ],
    "gp-access": [
        "O|They've moved my blood pressure check to a machine in the waiting room, I don't trust "
        "it.",
        "P|I spent my whole lunch break on hold to {surgery} and then had to go back to work "
        "without an answer.",
        "The out-of-hours doctor was kind but he can't see your notes, so you start from "
        "scratch.",
        "A|I had a lump checked after six weeks of trying, and that six weeks was the worst of my "
        "life.",
        "O|I rang {surgery} thirty-one times in one morning, I counted, and then they said all "
        "the appointments had gone.",
        "P|The surgery said bring the child to A&E if you're worried, but I'm always worried, "
        "that's my job.",
        "Y|The receptionist wanted to know why I needed to be seen and there was a queue behind "
        "me, so I just left.",
        "A|I work nights, so ringing at eight in the morning is the exact time I'm trying to "
        "sleep.",
        "They've got a physio and a mental health person and a pharmacist at {surgery} now, "
        "everyone except an actual doctor.",
        "O|My hearing aid needs a referral and I've been asking since the spring.",
        "A|I got a text saying my results were back and to book an appointment, but there were no "
        "appointments to book.",
    ],
    "loneliness": [
        "O|The warden used to knock every morning, now it's a pull cord and a voice on a "
        "speaker.",
        "O|My husband's in a home now and I visit every day, but the evenings in the flat are so "
        "quiet.",
        "Y|Since I left school I don't really see anyone, my mates are all at uni or working.",
        "O|Since the post office in Eastgate shut I've lost my little chat with the man behind "
        "the counter.",
        "O|Some weeks the only voices I hear are on the radio, I have it on all day for the "
        "company.",
        "O|My friends are dying off one by one, and at my age you don't make new ones easily.",
        "P|When you move here from another country you lose everybody, your mother, your sisters, "
        "everybody.",
        "O|I go to bed early just because there's nothing to stay up for, nobody to talk to.",
    ],
    "damp-mould": [
        "A|The mould came back within a month of the repair, the same corner, the same "
        "bedroom.",
        "P|The health visitor wrote to the housing association about the mould and even that "
        "didn't get a reply.",
        "A|Our bedroom window frame is so rotten you can see daylight round the edge.",
        "A|I've bought three tins of mould spray this month, that's money I haven't got.",
        "A|The damp specialist came in his van, looked at the wall, and said it's a job for a "
        "different team.",
        "P|I've got the baby sleeping in the living room because of the mould in the bedroom.",
        "A|They painted over the mould with anti-fungal paint and three weeks later it came "
        "straight back through.",
        "A|We've got buckets on the landing every time it rains, the roof's been leaking since "
        "March.",
        "O|I can't lift the furniture to clean behind it anymore, and that's where the mould "
        "grows.",
    ],
    "safety-lighting": [
        "Y|The underpass by the station is where people get their phones nicked, everyone knows "
        "to avoid it.",
        "A|The council said the broken street light was reported and logged, that was before "
        "Christmas.",
        "P|Somebody was dealing outside the school gates at home time and it took weeks for anyone "
        "to do anything.",
        "O|I don't go out after four in the winter now, not since my friend had her bag snatched.",
        "You never see a PCSO round here anymore, they used to know everyone by name.",
        "Y|Lads on e-bikes come flying down the pavement, somebody's going to get hurt.",
        "Y|I walk home the long way round because the short cut by the garages has no lights at "
        "all.",
        "A|The camera on the corner has been broken for a year, so what's the point of it.",
        "P|I don't let my daughter walk back from her friend's after dark, I go and get her every "
        "time.",
        "O|There's no point ringing 101, you're on hold for an hour and nobody comes anyway.",
    ],
    "youth-spaces": [
        "Y|The leisure centre's youth discount only works before four, when we're all still at "
        "school.",
        "Y|We asked for a shelter by the park with a roof, that's literally all, and it's been two "
        "years.",
        "Y|The only free thing on a Saturday is walking round the shopping centre till security "
        "follows you.",
        "Y|There used to be a drama group at the community centre, it was the best thing I ever "
        "did, and it's gone.",
        "O|When I was a lad there were three youth clubs in Eastgate, now there isn't one.",
        "Y|They put a sign on the MUGA saying no ball games after seven, it's a ball court.",
        "Y|The only warm place open in the evening is the chicken shop, and they don't want us "
        "there either.",
        "Y|If they gave us the old youth club building we'd paint it ourselves.",
        "P|The holiday club costs twenty pound a day, I've got three kids, you do the maths.",
    ],
    "language-interpreters": [
        "P|The hospital letter said bring an adult interpreter, but who do I bring, my neighbour "
        "works.",
        "P|At the scan the sonographer just pointed at the screen and smiled, nobody explained "
        "anything.",
        "A|They say the interpreter is free but you have to ask when you book, and nobody tells "
        "you that.",
    ],
    "green-spaces-air": [
        "Y|The only decent green space is the school field and they lock it at the weekends.",
        "A|The fumes from the bypass come straight in our windows in summer, you can't open them.",
        "O|They took the benches out of the park to stop people sleeping on them, now I can't "
        "rest on my walk.",
        "Y|The park's got no bins that aren't overflowing, so it's not like people have "
        "anywhere to put stuff.",
        "The wildflower bit they did by the canal is lovely, more of that would lift the whole "
        "area.",
        "P|The play park swings have been chained up for months, the kids just look at them.",
    ],
}
for _theme, _lines in MORE_CORES.items():
    CORES[_theme].extend(_lines)

TAILS: dict[str, list[str]] = {
    "damp-mould": ["It's been like that for two winters now.", "And that's with the heating on.",
                   "Nobody takes responsibility.", "I've got the photos on my phone if anyone "
                   "wants to see.", "It's not right, is it.", "And we pay our rent every month."],
    "gp-access": ["It's every single month.", "And that's if you get through at all.",
                  "It shouldn't be this hard to see a doctor.", "I'm not exaggerating.",
                  "Everyone I know says the same."],
    "youth-mental-health": ["It's getting worse, not better.", "Nobody's really listening to "
                            "young people about it.", "That's just the reality.",
                            "It's scary to be honest."],
    "cost-of-living": ["It's relentless.", "And it's only going one way.", "I don't know how "
                       "much longer we can manage.", "Everyone's feeling it.",
                       "It's not like we're wasting it."],
    "buses-transport": ["It's a real lifeline for us.", "We're just cut off.", "Nobody asked us "
                        "before they changed it.", "It makes you not want to go anywhere."],
    "loneliness": ["It gets to you after a while.", "You feel invisible.", "I don't think people "
                   "realise.", "It's the silence that gets you."],
    "language-interpreters": ["It's our right to understand.", "Nobody thinks about people like "
                              "us.", "We are not asking for too much.", "It happens all the "
                              "time."],
    "youth-spaces": ["That's all we're asking for.", "It's not much to ask.", "We just get moved "
                     "on everywhere.", "Then people wonder why kids get in trouble."],
    "safety-lighting": ["It's not a nice way to live.", "You feel like nobody cares.",
                        "Something needs to be done before someone gets hurt.", "It wasn't like "
                        "this ten years ago."],
    "digital-exclusion": ["It's like we don't exist.", "Not everybody lives online.", "It makes "
                          "you feel stupid.", "They've forgotten about us."],
    "food-banks": ["That says it all really.", "It shouldn't be needed in this day and age.",
                   "It's heartbreaking.", "And it's getting busier."],
    "green-spaces-air": ["It really affects how you feel.", "We deserve nice places too.",
                         "Other areas get all the money.", "It's a shame because it could be "
                         "lovely."],
}

#: What people add about the buses once the routes came back in April 2024 (neutral: after praise
#: or after a gripe about fares).
TAILS_RESTORED = ["That's my experience anyway.", "For what it's worth.", "I just wanted to say "
                  "that.", "That's how I find it, anyway."]

#: How people start talking: hesitations, fillers, agreement, the odd bit of cross-talk.
OPENERS = ["Um, ", "Yeah, so ", "I mean, ", "Honestly, ", "For me, ", "Er, well, ", "To be fair, ",
           "Can I just say, ", "Look, ", "So, ", "The thing is, ", "Same as her really, ",
           "Just to add to that, ", "I'll be honest, ", "Right, ", "Mm, yeah. ", "Sorry, can I "
           "jump in? ", "No but, sorry, ", "Well, ", "Going back to what was said earlier, ",
           "Yeah. Yeah. ", "It's like, ", "Er... ", "For my family, "]

#: What facilitators say that is not a concern (the ``housekeeping`` rows of the key).
FACILITATOR_LINES = [
    "Can everyone hear me okay at the back?",
    "Thanks so much for coming, especially in this weather.",
    "Let's take a short break, there's tea and biscuits at the back.",
    "I'll pass the mic over to you.",
    "Okay, let's make a start.",
    "Just a reminder that we're recording this, but nothing goes out with your surname on it.",
    "Shall we go round and say our first names?",
    "The toilets are down the corridor on the left if anyone needs them.",
    "Can you just say that again a bit louder for the recording?",
    "Right, we've got about ten minutes left.",
    "Thank you, that's really helpful.",
    "Who else wants to come in on that?",
    "What else is on people's minds at the moment?",
    "Sorry, I think we lost you there, can you hear us now?",
    "I'm going to stop the recording in a minute.",
    "Is it okay if we move on to the next question?",
    "Please help yourselves to the sandwiches.",
    "We'll bring a write-up of today to the next meeting.",
    "Can you mute if you're not speaking, there's a bit of an echo.",
    "Does anyone need a break?",
    "Let's hear from someone who hasn't spoken yet.",
    "Thanks everyone, that's been brilliant.",
    "The travel expenses forms are on the table by the door.",
    "Give me one second, I'm just sharing my screen.",
    "Okay, we're back, is everyone here?",
    "Thank you, I've written that down.",
]

#: Participants' own housekeeping.
PARTICIPANT_HOUSEKEEPING = [
    "Sorry, I've got to leave at half past for the school run.",
    "Can you hear me now? I think my microphone was off.",
    "Is there any more tea going?",
    "Sorry I'm late, the bus didn't come. Again.",
    "Can I just pop to the loo?",
    "Sorry, my little one's just woken up, give me a sec.",
]

#: Places each community talks about, for the slots in CORES.
PLACES: dict[str, dict[str, list[str]]] = {
    "Riverside Tenants Association": {
        "estate": ["Canal Side", "Wharf House", "the Ashby flats"],
        "bus": ["the 12", "the 42"], "surgery": ["Riverside Health Centre", "the Quay surgery"]},
    "Northfield Somali Women's Group": {
        "estate": ["the Northfield blocks", "Linden Court"],
        "bus": ["the 9", "the 42"], "surgery": ["Northfield Medical Centre", "the Linden practice"]},
    "Eastgate Older People's Forum": {
        "estate": ["Eastgate Gardens", "the sheltered flats"],
        "bus": ["the 7", "the number 7"], "surgery": ["Eastgate Medical Practice",
                                                      "the Station Road surgery"]},
    "Millbrook Youth Council": {
        "estate": ["the Millbrook estate", "Poplar House"],
        "bus": ["the 23", "the 12"], "surgery": ["Millbrook Surgery", "the health centre"]},
}
