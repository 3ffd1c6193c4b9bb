// The problems customers bring: how they describe them, what the agent finds, the side conversations each one
// invites, and how a summary names them. The issue label (the `issue_type` fact) appears verbatim in every
// summary form; customers almost never use it ("I was charged twice" vs "a double charge").
//
// Chat variables: {product} "coffee grinder", {a_product} "a coffee grinder", {it}/{It}/{itObj}/{was}/{is}/{isnt}/
// {has}/{doesnt} agree with the product, {order}, {amount}, {date} (order date), {due} (a past weekday),
// {weekday} (a coming weekday), {days}, {hours}, {company}, {email}, {zip}, {last4}, {street}, {city}, {wrong},
// {paid}, {salePrice}, {code}, {newPlan}, {oldPrice}, {endDate}, {month}, {pct}, {team}.
// Summary variables: see outcomes.ts; {item} names the order ("the blender from order 4821930").
import { Outcome } from "./outcomes";

export const ISSUE_TYPES = [
  "double charge", "shipping delay", "refund request", "damaged item", "wrong item", "missing package",
  "warranty repair", "address change", "price adjustment", "late refund", "promo code", "password reset",
  "locked account", "subscription change", "cancellation",
] as const;
export type IssueType = (typeof ISSUE_TYPES)[number];

export type Speaker = "C" | "A";
export type Line = readonly [Speaker, string];

/** Where the chat's facts come from: an order (product, order number, price), an account, or a subscription plan. */
export type IssueKind = "order" | "account" | "subscription";

export interface Reason {
  /** How the agent says it in the chat. */
  chat: string;
  /** How a summary says it. */
  summary: string;
}

export interface Fix {
  /** A troubleshooting exchange; its last line is the customer confirming that it worked. */
  lines: readonly Line[];
  summary: string;
}

export interface WaitOption {
  chat: string;
  /** The time phrase a summary uses: "{days} business days", "until {weekday}". */
  span: string;
  purpose: readonly string[];
}

export interface IssueSpec {
  type: IssueType;
  kind: IssueKind;
  /** Products this issue happens to (default: all). */
  needsWarranty?: boolean;
  outcomes: readonly (readonly [Outcome, number])[];
  /** The customer's first description of the problem. */
  problem: readonly string[];
  /** The customer stating the amount, when the problem did not. */
  amountLine: readonly string[];
  /** How likely the chat states the amount at all. */
  amountChance: number;
  /** The agent reporting what they found (may state the product, date or amount). */
  lookup: readonly string[];
  /** Side exchanges this issue invites; 0-2 are used per chat. */
  extras: readonly (readonly Line[])[];
  team: string;
  waits?: readonly WaitOption[];
  declines?: readonly Reason[];
  fixes?: readonly Fix[];
  /** Issue-specific resolution lines that replace the generic ones of an outcome. */
  resolution?: Partial<Record<Outcome, readonly string[]>>;
  /** The verb of "{np} was ___ by the customer" (default "[reported|raised]"). */
  raised?: string;
  /** Summary forms: a noun phrase, a past-tense and a present-tense verb phrase for the customer as subject. */
  np: readonly string[];
  past: readonly string[];
  present: readonly string[];
}

const AMT = "<amount: of {amount}>";
const DAMAGED = "a damaged item<product:, the {product}><order: from order {order}>";
const WRONG = "the wrong item<order: in order {order}><product: instead of the {product}>";
const MISSING = "a missing package<order: (order {order})><product: with the {product} inside>";

export const ISSUES: readonly IssueSpec[] = [
  {
    type: "double charge",
    kind: "order",
    outcomes: [["full refund", 5], ["wait", 3], ["specialist", 2]],
    problem: [
      "I [just |]checked my [bank statement|banking app|card statement] and [it looks like |]I was charged twice for [one order|the same order|my last order].",
      "I [think I |]got billed two times for the {product} I [ordered|bought] [last week|on {date}|a few days ago].",
      "There are two [identical |]charges of {amount} from {company} on my card, but I only placed one order.",
      "Why did you take the money twice? I only ordered {a_product}, once.",
      "[My card|My account] shows the same payment twice for order {order}.",
      "I was charged {amount} twice [for one order|yesterday] and I need the extra money back.",
    ],
    amountLine: ["Both charges are {amount}.", "It's {amount} each time.", "Each one is for {amount}[, same day|]."],
    amountChance: 0.9,
    lookup: [
      "I can see [two payments|both charges] of {amount} on {date}[, you're right|].",
      "[Yes,|Okay,] I see it: the payment for the {product} went through twice[ on {date}|]. That's on us.",
      "I found the order. [It looks like|It seems] the payment [was submitted twice|got sent twice] when the page reloaded.",
    ],
    extras: [
      [["A", "Did you [maybe |]click the pay button more than once?"], ["C", "[No|I don't think so], I clicked it once and the page [froze|took forever]."]],
      [["A", "Which card was it charged to?"], ["C", "[My|The] [debit card|credit card] ending in {last4}."]],
      [["C", "[Is my card safe|Should I be worried someone has my card]?"], ["A", "[Yes, it's safe|Your card is safe], this was a glitch on our side, not fraud."]],
    ],
    team: "billing team",
    waits: [
      {
        chat: "The second one is only a pending hold, [not a real payment|it never went through]. It will [drop off|disappear] on its own within {days} business days.",
        span: "{days} business days",
        purpose: ["for the pending charge to drop off", "for the hold to clear"],
      },
      {
        chat: "Good news, the second charge never [settled|went through]; your bank will release it by {weekday}.",
        span: "until {weekday}",
        purpose: ["for the bank to release the hold", "for the second charge to disappear"],
      },
    ],
    resolution: {
      "full refund": [
        "I've [reversed|refunded] the [duplicate|second|extra] charge of {amount}. It [should be back|will show up] [in|within] {days} business days.",
        "I've refunded the [extra|duplicate] {amount}[ to your card|]; [give it|allow] {days} business days to [post|show up].",
      ],
    },
    np: [`a double charge${AMT} on {item}`, `a double charge${AMT} for {item}`],
    past: [`was hit with a double charge${AMT} for {item}`, `noticed a double charge${AMT} on {item}`, `found a double charge${AMT} for {item} on {cs} statement`],
    present: [`notices a double charge${AMT} on {item}`, `tells {a} about a double charge${AMT} for {item}`],
  },
  {
    type: "shipping delay",
    kind: "order",
    outcomes: [["wait", 5], ["discount", 2], ["full refund", 2], ["specialist", 1]],
    problem: [
      "My order [still hasn't arrived|is late], [it was supposed to be here|the site said it would come] on {due}.",
      "I ordered {a_product} [on {date}|two weeks ago] and [it's still not here|I'm still waiting for {itObj}].",
      "The tracking for order {order} [hasn't moved|has said in transit] for [five|six|eight] days.",
      "[Where is|What's going on with] my package? I [needed it|wanted it] for [a birthday|a trip|the weekend].",
      "[I'm waiting on|I've been waiting for] the {product} I ordered and the delivery date [keeps moving|has passed].",
    ],
    amountLine: ["I paid {amount} for {itObj}, [including|with] express shipping.", "The order was {amount}, [so not cheap|not a small order]."],
    amountChance: 0.35,
    lookup: [
      "I see it. The package with your {product} left our warehouse on {date}, but it's been [sitting|stuck] at the carrier's [sorting center|hub] since.",
      "The tracking shows [a delay at the carrier|a weather delay in transit]. [I'm sorry about that|That's frustrating, I know].",
      "[Found it|I have it here]. The package [was held up|got delayed] because of [the storm|a backlog at the depot|a mislabeled box].",
    ],
    extras: [
      [["C", "[Is it lost|Could it be lost]?"], ["A", "No, it's [not lost|still moving], just [slow|late]."]],
      [["C", "I [really |]needed it by [the weekend|Saturday|my son's birthday]."], ["A", "I understand, and I'm sorry it's late."]],
      [["A", "Did you get any emails from the carrier?"], ["C", "[Just the shipping one|Nothing since it shipped]."]],
    ],
    team: "shipping team",
    waits: [
      {
        chat: "The carrier now says it will arrive by {weekday}. [If it isn't there by then|If it doesn't show up by then], [message us again|come back to us] and we'll [sort it out|send a new one].",
        span: "until {weekday}",
        purpose: ["for the package", "for the delivery"],
      },
      {
        chat: "It's moving again, [so|and] you should have it within {days} business days.",
        span: "another {days} business days",
        purpose: ["for the package", "for the delayed delivery"],
      },
    ],
    resolution: {
      "full refund": [
        "Since it's this late, I've cancelled the order and refunded the full {amount}; allow {days} business days for the money to show up.",
      ],
      discount: [
        "It should [arrive by|be there by] {weekday}, and for the trouble I've added a {pct}% discount [code to your account|for your next order].",
      ],
    },
    np: ["a shipping delay on {item}", "a shipping delay with {item}"],
    past: ["complained about a shipping delay on {item}", "was dealing with a shipping delay on {item}", "asked about a shipping delay with {item}"],
    present: ["complains about a shipping delay on {item}", "asks {a} about a shipping delay with {item}"],
  },
  {
    type: "refund request",
    kind: "order",
    raised: "[submitted|made]",
    outcomes: [["full refund", 3], ["return label", 3], ["store credit", 2], ["declined", 3]],
    problem: [
      "I'd like to [return|send back] {a_product} [I bought|I ordered] [last week|on {date}|recently] and get my money back.",
      "Can I get a refund for order {order}? [It's not what I expected|It doesn't fit|I changed my mind].",
      "[I want|I need] my money back for the {product}. [It doesn't really work for me|It's not the right color|It's smaller than I thought].",
      "How do I get a refund? I paid {amount} for {a_product} and I don't [need|want] {itObj} anymore.",
      "The {product} {isnt} what I [hoped|expected]; [the quality is poor|{it} {is} much smaller than in the photos]. Can I get a refund?",
    ],
    amountLine: ["I paid {amount} for {itObj}.", "The total was {amount}[ with tax|]."],
    amountChance: 0.75,
    lookup: [
      "I see the order: {a_product} [for|at] {amount}, delivered on {date}.",
      "I have your order here[, placed on {date}|].",
      "I found it, the {product} from {date}.",
    ],
    extras: [
      [["A", "May I ask why you're returning {itObj}?"], ["C", "[It's too small|It doesn't fit my space|The color looks different in person|I found a better one|I bought it by mistake]."]],
      [["A", "Have you used {itObj} at all?"], ["C", "[Only once|No, still in the box|Just to try {itObj} out]."]],
      [["C", "Do I need the original box?"], ["A", "It helps, but [any box is fine|it's not required]."]],
    ],
    team: "returns team",
    declines: [
      { chat: "the order is more than 30 days old and our return window is 30 days", summary: "the 30-day return window had passed" },
      { chat: "{it} {was} bought on clearance, and clearance items are final sale", summary: "clearance items are final sale" },
      { chat: "we can only take back items in new condition, and this one {has} been used", summary: "the item had already been used" },
    ],
    np: ["a refund request for {item}", "a refund request on {item}"],
    past: ["made a refund request for {item}", "submitted a refund request for {item}", "came with a refund request for {item}"],
    present: ["makes a refund request for {item}", "comes to {a} with a refund request for {item}"],
  },
  {
    type: "damaged item",
    kind: "order",
    outcomes: [["replacement", 5], ["full refund", 3], ["discount", 1], ["specialist", 1]],
    problem: [
      "My {product} arrived [broken|cracked|damaged|dented]. [The box was crushed|The packaging was torn open|It looks like it was dropped].",
      "I just opened my order and the {product} {is} [cracked|broken|scratched all over].",
      "The package from order {order} came [today|yesterday] and [something inside is broken|the item is in pieces].",
      "[I got|I received] {a_product} [today|this morning] but {it} {doesnt} [work|turn on] and the box is [smashed|dented].",
      "[Not happy|Really disappointed]. The {product} I paid {amount} for showed up [damaged|broken].",
    ],
    amountLine: ["I paid {amount} for {itObj}, [so I'm not happy|which isn't cheap]."],
    amountChance: 0.4,
    lookup: [
      "I see your order, {a_product} delivered on {date}.",
      "I found order {order}.",
      "I'm so sorry about that. I have your order in front of me.",
    ],
    extras: [
      [["A", "Could you send a photo of the damage?"], ["C", "Sure, [I just sent it|uploading it now|sent it to your email]. [You can see the crack|The corner is smashed]."]],
      [["A", "Was the outer box damaged too?"], ["C", "[Yes, badly|A little, one corner was crushed|No, the box looked fine, weirdly]."]],
      [["C", "I [was going to give it as a gift|needed it this week]."], ["A", "I'm really sorry, that's [so frustrating|not the experience we want]."]],
    ],
    team: "returns team",
    resolution: {
      discount: ["If you're okay keeping {itObj} as {it} {is}, I can take {pct}% off [the price|your order] for the trouble."],
    },
    np: [DAMAGED],
    past: [`received ${DAMAGED}`, `got ${DAMAGED}`, `reported ${DAMAGED}`],
    present: [`receives ${DAMAGED}`, `tells {a} about ${DAMAGED}`],
  },
  {
    type: "wrong item",
    kind: "order",
    outcomes: [["replacement", 5], ["return label", 2], ["full refund", 2]],
    problem: [
      "I ordered {a_product} but [got|received] {wrong} instead.",
      "[The box I got|My order] had {wrong} in it, not the {product} I [paid for|ordered].",
      "Order {order} came [today|yesterday], but it's not my stuff. [There's|I got] {wrong} in the box.",
      "You sent me the wrong thing. I [was expecting|ordered] the {product}.",
    ],
    amountLine: ["I paid {amount} for the right one.", "The order was {amount}[, by the way|]."],
    amountChance: 0.35,
    lookup: [
      "I see it, {a_product} from {date}. [It looks like|Seems] [the warehouse|our packers] mixed up two orders.",
      "[Found it.|Okay.] [I'm sorry,|My apologies,] that's a packing mistake on our end.",
      "I have the order here, and you're right, it should have been {a_product}.",
    ],
    extras: [
      [["A", "[Oh no|Oh dear]. What did you get instead?"], ["C", "{wrong}[, still sealed|, which I did not order]."]],
      [["C", "Do I need to send the wrong one back?"], ["A", "[Yes, but|Yes, and] we'll cover the shipping."]],
      [["A", "Can you check the packing slip?"], ["C", "It says {product}, so [someone mixed something up|it was packed wrong]."]],
    ],
    team: "returns team",
    resolution: {
      replacement: [
        "I'll send the right {product} today, [you should get it by {weekday}|arriving by {weekday}], and I'll [email|include] a label for the wrong one.",
        "I've [put in|placed] a new order for the {product} at no cost. It ships [today|tomorrow] and should be there by {weekday}.",
      ],
    },
    np: [WRONG],
    past: [`received ${WRONG}`, `got ${WRONG}`, "received the wrong item<order: in order {order}>: {wrong} instead of <product:the {product}><!product:what was ordered>"],
    present: [`receives ${WRONG}`, `tells {a} about getting ${WRONG}`],
  },
  {
    type: "missing package",
    kind: "order",
    outcomes: [["replacement", 4], ["full refund", 3], ["wait", 3], ["specialist", 1]],
    problem: [
      "The tracking says my package was delivered [yesterday|on {due}] but [it's not here|there's nothing at my door].",
      "I never got my order. [It says delivered|The app shows it was dropped off] but I [checked everywhere|asked my neighbors].",
      "My package for order {order} [is missing|never showed up].",
      "[Someone might have taken|I think someone stole] my {product}. It was marked delivered [but I don't have it|and it's gone].",
    ],
    amountLine: ["That was {amount} worth of stuff.", "That order was {amount}[, so it matters|]."],
    amountChance: 0.45,
    lookup: [
      "The carrier shows the package as delivered on {date}[ to the front door|].",
      "I see it. [The driver's photo is blurry|There's no delivery photo], so it's hard to tell where it was left.",
      "Your order for {a_product} is marked delivered, [but I'm sorry it's not there|so something went wrong with the drop-off].",
    ],
    extras: [
      [["A", "Did you check [with your neighbors|around the building|your mailbox and back door]?"], ["C", "[Yes, I asked everyone|Yes, twice|Yes, and nothing]."]],
      [["A", "Can you confirm the delivery address?"], ["C", "{street}, {city}."]],
      [["C", "This is the second time a package has gone missing [here|this month]."], ["A", "I'm sorry, that's [awful|really frustrating]."]],
    ],
    team: "shipping team",
    waits: [
      {
        chat: "I've opened a trace with the carrier. They need up to {days} business days to [look for it|find it], so please hold on until then.",
        span: "up to {days} business days",
        purpose: ["while the carrier searches", "for the carrier's search"],
      },
      {
        chat: "Packages marked delivered [sometimes|often] turn up a day or two late. If it's not there by {weekday}, [message us|let us know] and we'll [replace it|send a new one].",
        span: "until {weekday}",
        purpose: ["in case the package turns up", "to see if it turns up"],
      },
    ],
    np: [MISSING, "a missing package<order: from order {order}>"],
    past: [`reported ${MISSING}`, `had ${MISSING}`, "asked about a missing package<order: from order {order}><product: that held the {product}>"],
    present: [`reports ${MISSING}`, `tells {a} about ${MISSING}`],
  },
  {
    type: "warranty repair",
    kind: "order",
    raised: "requested",
    needsWarranty: true,
    outcomes: [["free repair", 5], ["replacement", 2], ["declined", 3], ["specialist", 1]],
    problem: [
      "My {product} stopped working after [four|six|eight] months. [It won't turn on|It just makes a clicking noise|It keeps shutting off].",
      "I [bought|got] {a_product} from you [last year|on {date}] and now {it} {doesnt} [work properly|turn on]. Is {it} still under warranty?",
      "I need to [get|have] my {product} [repaired|fixed]. [The button is stuck|It keeps shutting off|It overheats].",
      "Is there a warranty on the {product}? Mine [broke|died] [last week|yesterday].",
    ],
    amountLine: ["I paid {amount} for {itObj}, [so I expect it to last|it shouldn't break this fast]."],
    amountChance: 0.35,
    lookup: [
      "I see {a_product} bought on {date}.",
      "I found your purchase. The warranty [runs for one year|is two years] from the delivery date.",
      "I have order {order} here.",
    ],
    extras: [
      [["A", "What exactly happens when you turn {itObj} on?"], ["C", "[Nothing at all|A light blinks red and then nothing|It starts, then shuts off after a minute]."]],
      [["A", "Have you tried [a different outlet|a different cable|holding the power button for ten seconds]?"], ["C", "[Yes, same thing|I tried that already|Yes, no change]."]],
      [["A", "Do you still have the receipt or the order number?"], ["C", "Yes, it's order {order}."]],
    ],
    team: "repair team",
    declines: [
      { chat: "the one-year warranty ended in {month}", summary: "the warranty had expired" },
      { chat: "the damage looks like it came from a drop, and the warranty doesn't cover accidents", summary: "the warranty does not cover accidental damage" },
      { chat: "there's water damage inside, and that isn't covered by the warranty", summary: "water damage is not covered" },
    ],
    np: ["a warranty repair for {item}", "a warranty repair on {item}"],
    past: ["asked for a warranty repair for {item}", "needed a warranty repair on {item}"],
    present: ["asks {a} for a warranty repair for {item}", "needs a warranty repair on {item}"],
  },
  {
    type: "address change",
    kind: "order",
    raised: "requested",
    outcomes: [["new address", 6], ["declined", 3], ["specialist", 1]],
    problem: [
      "I [just |]moved and I need to change the [shipping|delivery] address on [my order|order {order}].",
      "I put the wrong address on my order[ for the {product}|]. Can you fix it before it ships?",
      "Can I [send|redirect] my order to a different address? [I won't be home next week|I'm staying with my parents for a while].",
      "I entered my old address at checkout by mistake. The order is {a_product}.",
    ],
    amountLine: ["It's a {amount} order, so I don't want it lost."],
    amountChance: 0.2,
    lookup: [
      "I have your order here, {a_product} placed on {date}.",
      "Let me see where the order is right now.",
      "I see order {order}.",
    ],
    extras: [
      [["A", "What's the new address?"], ["C", "{street}, {city}[, apartment 4B|, unit 12|]."]],
      [["A", "Is the name on the order staying the same?"], ["C", "[Yes|Yep], same name."]],
      [["C", "[Will this delay it|Does this change the delivery date]?"], ["A", "[Maybe by a day|It shouldn't, but I can't promise]."]],
    ],
    team: "shipping team",
    declines: [
      { chat: "the package already left our warehouse, so the address is locked", summary: "the order had already shipped" },
      { chat: "we can only change the address within one hour of ordering, and it's been a day", summary: "the one-hour window for changes had passed" },
    ],
    np: ["an address change for {item}", "an address change on {item}"],
    past: ["asked for an address change on {item}", "needed an address change for {item}"],
    present: ["asks for an address change on {item}", "requests an address change for {item}"],
  },
  {
    type: "price adjustment",
    kind: "order",
    raised: "requested",
    outcomes: [["partial refund", 5], ["store credit", 3], ["declined", 3]],
    problem: [
      "I bought {a_product} [last week|on {date}] for {paid}, and now it's on sale for {salePrice}.",
      "The {product} I [ordered|bought] just [dropped in price|went on sale]. Can I get the difference back?",
      "Do you do price matching? I paid {paid} for the {product} and today it's {salePrice}.",
      "I [saw|noticed] the price of the {product} went down [a lot|by quite a bit] right after I ordered.",
    ],
    amountLine: ["That's a difference of {amount}.", "So I'm out {amount}."],
    amountChance: 0.5,
    lookup: [
      "I see you paid {paid} on {date}, and the [current|sale] price is {salePrice}.",
      "Yes, the {product} is [on sale|discounted] this week.",
      "I have the order here, placed on {date}.",
    ],
    extras: [
      [["A", "When did you place the order?"], ["C", "[On {date}|About a week ago|Last {due}]."]],
      [["C", "[Honestly,|To be honest,] I'd have waited if I'd known."], ["A", "I understand, [it's annoying|that timing is unlucky]."]],
    ],
    team: "billing team",
    declines: [
      { chat: "price adjustments are only possible within 14 days of purchase", summary: "adjustments only apply within 14 days of purchase" },
      { chat: "the lower price is a members-only deal, and those aren't eligible for adjustments", summary: "the sale price was not eligible" },
    ],
    np: [`a price adjustment${AMT} for {item}`, "a price adjustment on {item}"],
    past: [`asked for a price adjustment${AMT} on {item}[ after it went on sale|]`, "wanted a price adjustment for {item}"],
    present: [`asks for a price adjustment${AMT} on {item}`, "wants a price adjustment for {item}"],
  },
  {
    type: "late refund",
    kind: "order",
    outcomes: [["wait", 5], ["full refund", 3], ["specialist", 2]],
    problem: [
      "I sent back {a_product} [two weeks|three weeks|a month] ago and I still haven't [got|received] my refund.",
      "Where's my refund for order {order}? You got the return [ages ago|last week].",
      "[The tracking shows|I have proof] you received my return on {date}, but no money yet.",
      "I'm still waiting on a refund of {amount}. [It's been weeks|What's taking so long]?",
    ],
    amountLine: ["The refund should be {amount}.", "It was a {amount} order."],
    amountChance: 0.8,
    lookup: [
      "I see the return arrived on {date}.",
      "Your return of the {product} was checked in [last week|on {date}].",
      "I have the return here, order {order}.",
    ],
    extras: [
      [["A", "Did you send {itObj} back with our label?"], ["C", "Yes, [I dropped it off at the post office|the courier picked it up]."]],
      [["C", "[It's a lot of money for me|I really need that money back], [to be honest|honestly]."], ["A", "I completely understand."]],
      [["A", "Is the card you paid with still active?"], ["C", "[Yes, same card|Yes, it is]."]],
    ],
    team: "billing team",
    waits: [
      {
        chat: "The refund of {amount} [went out|was sent] [yesterday|two days ago]; banks can take up to {days} business days to show it.",
        span: "up to {days} business days",
        purpose: ["for the bank to post the refund", "for the money to show up"],
      },
    ],
    resolution: {
      "full refund": [
        "I see the refund [got stuck|never went through] in our system. I've [pushed it through|sent it again] now: {amount}, [back on your card in|arriving within] {days} business days.",
      ],
    },
    np: [`a late refund${AMT} for {item}`, `a late refund${AMT} on {item}`],
    past: [`asked about a late refund${AMT} for {item}`, `was still waiting on a late refund${AMT} for {item}`],
    present: [`asks about a late refund${AMT} for {item}`, `complains about a late refund${AMT} for {item}`],
  },
  {
    type: "promo code",
    kind: "order",
    outcomes: [["troubleshooting", 4], ["discount", 3], ["declined", 3]],
    problem: [
      "I'm trying to use the code {code} but it says [invalid|not valid|expired].",
      "Your discount code isn't working[ at checkout|]. I [got it in your email|saw it on your page].",
      "The promo code {code} [won't apply|does nothing] to my [cart|order]. I'm buying {a_product}.",
      "Why won't my coupon work? My cart is {amount} and the code should take [some|a lot] off.",
    ],
    amountLine: ["My total is {amount}[ right now|].", "The cart comes to {amount}."],
    amountChance: 0.6,
    lookup: [
      "I see the code in our system[, it's one of our current offers|].",
      "Let me check that code on my side.",
    ],
    extras: [
      [["A", "Which code are you using?"], ["C", "{code}."]],
      [["A", "What's in your cart right now?"], ["C", "Just {a_product}."]],
    ],
    team: "billing team",
    fixes: [
      {
        lines: [["A", "Could you check there's no space [after|before] the code?"], ["C", "Oh, there was a space at the end. [Now it works|It applied now]!"]],
        summary: "removing an extra space from the code",
      },
      {
        lines: [["A", "The code only works if you're signed in. Are you logged in?"], ["C", "No, I wasn't! I signed in and it worked."]],
        summary: "signing in before using the code",
      },
      {
        lines: [["A", "Try removing the item from your cart and adding it again."], ["C", "[Okay, done|Done]. Now the discount shows up!"]],
        summary: "adding the item to the cart again",
      },
    ],
    declines: [
      { chat: "that code expired at the end of last month", summary: "the code had expired" },
      { chat: "the code is for first orders only, and you've ordered before", summary: "the code was only for first orders" },
      { chat: "the code doesn't apply to items that are already on sale", summary: "the code did not apply to sale items" },
    ],
    resolution: {
      discount: ["I can't fix the code, but I can [apply|give you] {pct}% off [by hand|manually] [on this order|to your cart]."],
    },
    np: ["a promo code that would not apply<product: to the {product}>", "a promo code problem<amount: on a {amount} order>"],
    past: ["could not use a promo code<amount: on a {amount} order>", "had trouble with a promo code<product: for the {product}>"],
    present: ["has trouble with a promo code<product: for the {product}>", "asks why a promo code will not work<amount: on a {amount} order>"],
  },
  {
    type: "password reset",
    kind: "account",
    outcomes: [["reset link", 5], ["troubleshooting", 4], ["specialist", 1]],
    problem: [
      "I forgot my password and the reset email [never comes|isn't arriving].",
      "I can't log in. I [tried|clicked] forgot password [three times|twice] and [got nothing|nothing happened].",
      "I need to reset my password but the link [says it's expired|doesn't work].",
      "How do I change my password? [I think someone knows it|I haven't logged in for a year].",
    ],
    amountLine: [],
    amountChance: 0,
    lookup: ["I see your account here.", "I found the account."],
    extras: [
      [["A", "Did you check your spam folder?"], ["C", "[Yes, nothing there|Yes, twice|Yes, still nothing]."]],
      [["A", "[For security,|First,] can you confirm your billing zip code?"], ["C", "[Sure,|Yes,] it's {zip}."]],
    ],
    team: "account security team",
    fixes: [
      {
        lines: [["A", "Could you try opening the link in a private browser window?"], ["C", "Okay, [that worked|it opened]! I set a new password."]],
        summary: "opening the link in a private window",
      },
      {
        lines: [["A", "The link only works once. Are you using an older email?"], ["C", "Oh, yes. The newest one works. [Thanks|Got it]!"]],
        summary: "using the newest reset email",
      },
      {
        lines: [["A", "Try clearing your browser cache and then use the link again."], ["C", "[Done. It worked this time|Yes, that did it]!"]],
        summary: "clearing the browser cache",
      },
      {
        lines: [["A", "Are you on a VPN? Our login page sometimes blocks them."], ["C", "I am. I turned it off and [now it works|I'm in]!"]],
        summary: "turning off a VPN",
      },
    ],
    np: ["a password reset that kept failing", "a password reset for {cs} {company} account"],
    past: ["needed a password reset", "asked for help with a password reset", "could not finish a password reset"],
    present: ["needs a password reset", "asks {a} for help with a password reset"],
  },
  {
    type: "locked account",
    kind: "account",
    outcomes: [["unlocked", 5], ["wait", 3], ["specialist", 2]],
    problem: [
      "My account [is locked|got locked] [after I typed the wrong password too many times|and I don't know why].",
      "I can't get into my account, it says too many attempts.",
      "I'm locked out of my account and I need to [place an order|check my orders|pay a bill] today.",
      "[I got|There was] an email saying my account was locked [for my safety|because of suspicious activity].",
    ],
    amountLine: [],
    amountChance: 0,
    lookup: ["I see the lock on your account.", "I see [several failed sign-ins|a security lock] on the account."],
    extras: [
      [["C", "Did someone try to hack me?"], ["A", "[I don't see anything strange|There were a few failed attempts], [but|so] please [change your password afterwards|use a strong password]."]],
      [["C", "I need it [today|for a bill that's due], that's the problem."], ["A", "I understand, let's see what I can do."]],
    ],
    team: "account security team",
    waits: [
      {
        chat: "The lock lifts on its own after {hours} hours, and I can't override it from here. Please try again [then|after that].",
        span: "{hours} hours",
        purpose: ["for the lock to expire", "for the security lock to lift"],
      },
    ],
    np: ["a locked account", "a locked account with {company}"],
    past: ["had a locked account", "reported a locked account", "was stuck with a locked account"],
    present: ["has a locked account", "reports a locked account"],
  },
  {
    type: "subscription change",
    kind: "subscription",
    raised: "requested",
    outcomes: [["switched", 6], ["discount", 2], ["declined", 2]],
    problem: [
      "I'd like to [switch|change] from the {product} to the {newPlan}.",
      "Can I change my plan? [I'm on the {product} right now|Right now I have the {product}].",
      "[Money is tight|We have a new baby|My kids want their own profiles], so I want a different plan.",
      "How much is the {newPlan}? I'm paying {oldPrice} a month for the {product}.",
    ],
    amountLine: [],
    amountChance: 0.7,
    lookup: ["I see you're on the {product}[ at {oldPrice} a month|].", "I have your subscription here."],
    extras: [
      [["A", "What plan are you on now?"], ["C", "The {product}[, I think|]."]],
      [["A", "Which plan would you like instead?"], ["C", "The {newPlan}[, please|]."]],
      [["C", "Will I lose my saved stuff?"], ["A", "No, [everything stays|nothing gets deleted]."]],
    ],
    team: "subscriptions team",
    declines: [
      { chat: "yearly plans can only be changed at renewal, and yours renews in {month}", summary: "the plan can only change at renewal" },
      { chat: "the {newPlan} isn't available in your country yet", summary: "the {newPlan} is not offered in that country" },
    ],
    resolution: {
      discount: ["Before you change, I can offer you {pct}% off your {product} for the next three months. [Would that help?|How does that sound?]"],
    },
    np: ["a subscription change<product: from the {product}>", "a subscription change with {company}"],
    past: ["asked for a subscription change<product: from the {product}>", "wanted a subscription change<product: away from the {product}>"],
    present: ["asks for a subscription change<product: from the {product}>", "wants a subscription change"],
  },
  {
    type: "cancellation",
    kind: "subscription",
    raised: "requested",
    outcomes: [["cancelled", 6], ["discount", 3], ["declined", 1]],
    problem: [
      "I want to cancel my {company} subscription.",
      "How do I cancel? I can't find the button [anywhere|in the app].",
      "I'd like to cancel my {product}. [I don't use it enough|It's too expensive now|I'm moving abroad].",
      "I'm paying {amount} a month and [barely use it|don't have time for it]. I want to stop.",
    ],
    amountLine: ["I pay {amount} a month[, which adds up|]."],
    amountChance: 0.5,
    lookup: ["I see your {product} here.", "I have your subscription open."],
    extras: [
      [["A", "Can I ask why you'd like to cancel?"], ["C", "[It's just too expensive|I don't use it much anymore|I found something else|Money is tight right now]."]],
      [["A", "Which plan is it?"], ["C", "The {product}."]],
      [["C", "Will I lose my [data|history]?"], ["A", "We keep it for 90 days in case you come back."]],
    ],
    team: "subscriptions team",
    declines: [
      { chat: "you're on a 12-month contract that runs until {endDate}, so it can't be cancelled early", summary: "the contract runs until {endDate}" },
    ],
    resolution: {
      discount: ["Before you go, I can offer {pct}% off your next three months if you stay. [Would that change your mind?|How does that sound?]"],
    },
    np: ["a cancellation<product: of the {product}>", "a cancellation of {cs} {company} subscription"],
    past: ["asked for a cancellation<product: of the {product}>", "requested a cancellation<product: of the {product}>"],
    present: ["asks for a cancellation<product: of the {product}>", "requests a cancellation of the {company} subscription"],
  },
];

export function issueSpec(type: IssueType): IssueSpec {
  const spec = ISSUES.find((i) => i.type === type);
  if (!spec) throw new Error(`unknown issue type "${type}"`);
  return spec;
}
