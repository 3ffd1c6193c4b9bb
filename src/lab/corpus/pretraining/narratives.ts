// Short everyday narratives in the past tense, told by the person ("I ordered...") or about them ("Maria
// ordered..."): an order that went wrong and how support fixed it, a move, a dinner, a trip, a gift, a workout
// plan, a subscription, working from home, a camping weekend, a repair, a locked account; and two in the present
// tense about someone else: a support agent's day and a shopper's habits. Each names people,
// shops, products, places, times and amounts, the details a summary has to carry over.
import { Random } from "../../../random";
import { say } from "../chat/phrase";
import { sceneVars } from "./world";

/** Version of the narratives; bump when their text changes. */
export const NARRATIVE_VERSION = "1";

interface Theme {
  /** Present-tense themes are about someone else, by name ({S} is never "I"). */
  present?: boolean;
  /** One list of alternatives per sentence; a list holding "" may be left out. */
  slots: readonly (readonly string[])[];
}

// {S} the subject ("I" / "Maria"), {P} the possessive ("my" / "Maria's"), {O} the object ("me" / "Maria"),
// {SF} the subject with a friend ("Omar and I" / "Maria and Omar").
const THEMES: readonly Theme[] = [
  // An order that went wrong.
  { slots: [
    ["On {date}, {S} ordered {a_product} from {shop} for {price}.", "Last {month}, {S} bought {a_product} online at {shop}.", "{S} had been waiting for a new {product} for weeks, so {S} finally ordered one from {shop} for {price}."],
    ["The order number was {order}.", "It was supposed to arrive on {due}.", ""],
    ["When the package came, the {product} {was} damaged.", "The package never arrived, although the tracking said it was delivered.", "The box contained {a_other} instead of the {product}.", "A few days later {S} was hit with a double charge of {price} on {P} bank statement.", "The delivery was late, and the tracking had not moved for {days} days.", "For a week {S} was dealing with a promo code that kept failing at checkout."],
    ["{S} was [annoyed|frustrated|upset], but wrote to customer service [that evening|the next morning].", "{S} [contacted|messaged|reached out to] {shop} support through the chat on {weekday}.", "{S} called the help line and waited {minutes} minutes on hold.", "{S} chatted with an agent and reported the problem.", "{S} complained to {shop} and raised the issue again two days later."],
    ["The representative, {agent}, apologized for the inconvenience.", "An agent named {agent} checked the order and apologized.", "The agent asked for the order number and verified {P} identity.", "{S} sounded upset at first, but {agent} stayed calm and friendly."],
    ["{agent} sent a replacement that arrived by {weekday}.", "{agent} issued a full refund of {price}, which showed up within {days} business days.", "{agent} offered store credit and a {pct}% discount on the next order.", "The case was escalated to a specialist on the {team}, who called back {days} days later.", "{agent} emailed a prepaid return label, and the refund came a week later.", "{agent} arranged a free replacement and sent a written apology."],
    ["In the end {S} was happy with the result.", "{S} thanked {agent} and ordered again the following month.", "It took longer than {S} wanted, but the problem was solved.", "It was not the solution {S} wanted, but it was fair.", ""],
  ] },
  // A day at the support desk, told in the present.
  { present: true, slots: [
    ["{agent} works on the {team} at {shop} and answers chats from 8 am to 4 pm.", "Every weekday, {agent} talks to dozens of customers for {shop}.", "{agent} has worked in customer support at {shop} for {n} years."],
    ["The first customer of the day messages about a late refund of {price}.", "A shopper from {city} contacts {agent} because a package is missing.", "One buyer complains about a shipping delay on order {order}.", "The first caller is a user whose password reset keeps failing.", "A subscriber wants to switch from the {plan} to the {newPlan}."],
    ["{agent} checks the account, verifies the customer's identity and explains what happened.", "{agent} apologizes for the trouble and asks for the details.", "The customer gives the order number, {order}, and tells {agent} the whole story."],
    ["Later, a buyer notices that a payment went through twice, and {agent} confirms the extra charge and refunds it.", "Later, a package is lost, so the carrier searches for it while {agent} promises a new one by {weekday}.", "In the afternoon, a reset link keeps failing, and {agent} walks the user through troubleshooting that fixes it.", "After lunch, a customer's {product} {is} broken but under warranty, so {agent} books a free repair.", "One case needs a specialist, so {agent} escalates it to the {team}.", "Another shopper wants a replacement, and {agent} arranges one at no cost.", "Sometimes a customer requests a refund that {agent} cannot approve, and {agent} passes the case on."],
    ["Most customers thank {agent}, but some sound upset until the end.", "By 4 pm, {agent} has solved {count} cases.", "{agent} solves most problems in a single chat.", "{agent} saves notes on every case, so the next agent knows what was promised."],
  ] },
  // A shopper's habits, told in the present.
  { present: true, slots: [
    ["{S} shops online almost every week.", "{S} buys most things at {shop}.", "{S} is a careful shopper who lives in {city}."],
    ["{S} compares prices, reads the reviews and saves the best deals in a list.", "{S} waits for the sales and uses promo codes like {code}.", "{S} keeps every order number in a notebook."],
    ["When something arrives damaged, {S} sends a photo and asks for a replacement.", "If the price drops after a purchase, {S} asks for a price adjustment.", "When a delivery is late, {S} messages support and asks for the tracking number."],
    ["This month {S} spent {total} on {a_product} and a few small things.", "{S} pays by card and checks the bank statement every Sunday.", ""],
  ] },
  // Moving house.
  { slots: [
    ["In {month}, {S} moved to a small apartment on {street} in {city}.", "After {count} years in {city2}, {S} moved to {city} for a new job.", "{S} spent the whole weekend of {date} moving into a new place on {street}."],
    ["{friend} helped carry the boxes up to the third floor.", "The moving van cost {total}, more than expected.", "Packing took {count} boxes and most of a week."],
    ["{S} changed the delivery address on an open order at {shop} just in time.", "An order from {shop} still went to the old address, so {S} asked for an address change.", "The first thing {S} bought for the new place was {a_product} for {price}."],
    ["The kitchen was tiny, but the view over {city} was lovely.", "The neighbors brought a cake on the first evening.", ""],
    ["By {weekday}, everything was unpacked.", "A month later the apartment finally felt like home.", ""],
  ] },
  // A dinner with a new kitchen gadget.
  { slots: [
    ["{S} invited {friend} and {count} other friends for dinner on {weekday}.", "For {friend}'s birthday, {S} cooked dinner at home.", "On a rainy {weekday}, {S} decided to try a new recipe."],
    ["{S} had just bought {a_product} from {shop} for {price}.", "The new {product} had arrived from {shop} the day before.", "{S} borrowed {friend}'s {product} for the evening."],
    ["The recipe took {minutes} minutes and used [rice, beans and fresh herbs|chicken, lemon and garlic|pasta, tomatoes and cheese|potatoes and green peas].", "Dinner was ready at [7:30|8:00|8:15] pm, only {minutes} minutes late.", "The first try burned a little, so {S} started again."],
    ["Everyone asked for the recipe.", "{friend} brought dessert and a bottle of juice.", "They ate on the balcony until it got dark.", ""],
    ["Later {S} wrote a review of the {product} and gave it {rating} stars.", "The groceries cost {otherPrice}, which {S} thought was fair for {count} people.", ""],
  ] },
  // A weekend trip.
  { slots: [
    ["On {date}, {S} took the [7:15|8:40|10:05] train from {city} to {city2}.", "For a long weekend in {month}, {SF} drove to {city2}.", "{S} booked a cheap flight to {city2} for {otherPrice}."],
    ["The hotel near the station cost {price} a night.", "They stayed in a small guest house on {street}.", "{S} stayed with an old friend, {friend}, who lived near the river."],
    ["On the first day it rained, so they visited a museum.", "They walked [12|15|18] kilometers on Saturday and ate at a market.", "The highlight was a boat trip on {weekday} morning."],
    ["{S} bought {a_other} as a souvenir.", "{S} lost a bag on the way back, but a station agent found it.", ""],
    ["They were home by {weekday} evening, tired and happy.", "The whole trip cost about {total} per person.", ""],
  ] },
  // A gift.
  { slots: [
    ["{friend}'s birthday was on {date}, and {S} wanted a good gift.", "{S} needed a present for {friend}, who had just finished school.", "{S} always gave {friend} something useful for birthdays."],
    ["After comparing three shops, {S} ordered {a_product} from {shop} for {price}.", "{S} found {a_product} on sale at {shop}: {salePrice} instead of {price}.", "With promo code {code}, {S} paid {salePrice} for {a_product}."],
    ["It arrived on {weekday}, two days early.", "It came in a plain box, so {S} wrapped it in blue paper.", "The delivery was late, and {S} had to call {shop} support."],
    ["{friend} loved it and used it the very next day.", "{friend} already had one, so {S} exchanged it for {a_other}.", ""],
  ] },
  // A workout plan.
  { slots: [
    ["In {month}, {S} decided to get fit and signed up for the FitPath {plan}.", "{S} started running three times a week after a check-up in {month}.", "After a long winter, {S} joined a gym on {street}."],
    ["The first purchase was a pair of running shoes for {price}.", "{S} also bought {a_product} from {shop}.", "The plan cost {planPrice} a month."],
    ["The first run was only {n} kilometers, and it felt hard.", "By week {n}, {S} could run for {minutes} minutes without stopping.", "{friend} came along on {weekday} mornings."],
    ["After {count} weeks, {S} ran a 10-kilometer race in {city}.", "{S} switched to the annual plan to save money.", "{S} cancelled the plan after two months and kept running in the park for free."],
  ] },
  // A subscription.
  { slots: [
    ["{S} had been a {service} subscriber for {n} years.", "In {month}, {S} signed up for {service}, a {serviceKind} service.", "{SF} shared a {service} account."],
    ["The {plan} cost {planPrice} a month.", "The price of the {plan} went up to {planPrice} in {month}.", ""],
    ["One day {S} switched to the {newPlan} for {newPlanPrice} a month.", "When the yearly renewal came, {S} asked to cancel the subscription.", "{S} tried to change plans, but yearly plans could only change at renewal."],
    ["The support agent confirmed the change by email.", "Access stayed active until {date}.", "{S} got a reminder email {days} days before the renewal.", ""],
  ] },
  // Working from home.
  { slots: [
    ["When {P} company let people work from home, {S} set up a desk in the spare room.", "{S} started working from home in {month}.", "Working from home in {city} meant no more {minutes}-minute commute for {O}."],
    ["{S} bought a standing desk for {price} and {a_other}.", "The old webcam was so bad that {S} ordered a new one from {shop}.", "{S} got a second monitor from {shop}, which arrived on {weekday}."],
    ["The daily meeting started at 9 am sharp.", "Lunch was usually soup and bread at 12:30.", "{friend} from the office called every {weekday} to plan the week."],
    ["After a month, {S} could not imagine going back.", "On {weekday}s, {S} still went to the office.", ""],
  ] },
  // Camping.
  { slots: [
    ["In {month}, {SF} went camping near a lake outside {city}.", "For years, {S} had gone camping every {month}.", "{S} planned a weekend in the hills with {friend}."],
    ["They packed a tent, two sleeping bags and a cooler bag.", "{S} bought a new camping tent from {shop} for {price}.", "The hiking poles {S} had ordered arrived just in time."],
    ["It rained the first night, but the tent stayed dry.", "They hiked {n} hours to reach the top of the hill.", "The water bottle cracked on the first day."],
    ["They came home on {weekday} with wet shoes and good stories.", "Next year they want to go for a whole week.", ""],
  ] },
  // A repair.
  { slots: [
    ["{P} {product} stopped working [one morning|in {month}|after {count} months].", "One day, the {product} {S} had bought at {shop} would not work."],
    ["{It} {was} still under the {warrantyYears}-year warranty, so {S} contacted the repair team.", "{S} tried the troubleshooting steps in the manual first, but nothing helped."],
    ["The agent checked the order number, {order}, and booked a free repair.", "Because the warranty had expired, {S} paid for the repair.", "The damage came from a drop, which the warranty did not cover."],
    ["The repaired {product} came back {days} business days later.", "{S} bought a new one instead, on sale for {salePrice}.", ""],
  ] },
  // A locked account.
  { slots: [
    ["One {weekday}, {S} could not sign in to {P} {service} account.", "{S} forgot {P} password for the {shop} website."],
    ["After three failed attempts, the account was locked for {hours} hours.", "The password reset link did not work the first time."],
    ["{S} tried opening the link in a private window, and it worked.", "Support asked for {P} email and zip code to verify {P} identity, then unlocked the account.", "Clearing the browser cache solved the problem."],
    ["After that, {S} kept every password in a password manager.", "{S} changed the password to something longer.", ""],
  ] },
];

/** One narrative: a theme's slots, each an alternative picked and expanded; some slots left out. */
export function narrativeDocument(random: Random): string {
  const theme = random.pick(THEMES);
  const vars = sceneVars(random);
  const firstPerson = !theme.present && random.chance(0.5);
  const person = {
    S: firstPerson ? "I" : vars.customer,
    P: firstPerson ? "my" : `${vars.customer}'s`,
    O: firstPerson ? "me" : vars.customer,
    SF: firstPerson ? `${vars.friend} and I` : `${vars.customer} and ${vars.friend}`,
    n: String(random.int(2, 9)),
  };
  const sentences = theme.slots.map((slot) => say(slot, random, { ...vars, ...person })).filter((s) => s !== "");
  return sentences.join(" ");
}
