// How a chat ends: the agent's resolution in the chat, the customer's reaction, and the ways a summary states it.
// The outcome label (the `outcome` fact) appears verbatim in every summary form; the chat lines mostly word it
// differently ("I've refunded $45.99" vs "a full refund of $45.99"), so a summary cannot be copied from a turn.
//
// Summary variables: {a} the agent ("the agent", "#Person2#", "Tom"), {c} the customer, {cs} the customer's
// ("the customer's", "#Person1#'s"), {item}, {amount}, {days}, {hours}, {weekday}, {pct}, {team}, {reason},
// {fix}, {span}, {purpose}, {newPlan}, {product}, {street}, {city}, {endDate}. <amount:...> is kept only when
// the summary states the amount.

export const OUTCOMES = [
  "full refund", "partial refund", "store credit", "return label", "replacement", "discount", "wait",
  "specialist", "declined", "troubleshooting", "free repair", "new address", "reset link", "unlocked",
  "switched", "cancelled",
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Whether the customer got what they came for: drives the reactions and the summary's closing remark. */
export type Tone = "good" | "neutral" | "bad";

export interface OutcomeSpec {
  tone: Tone;
  /** The agent's resolution turn (issue specs may override). */
  chat: readonly string[];
  /** Summary forms, each containing the outcome label. */
  agentPast: readonly string[];
  agentPresent: readonly string[];
  /** Sentences with their own subject (passive voice or the customer as subject). */
  passive: readonly string[];
  /** A noun phrase for "which ended with ..." frames; empty when none reads naturally. */
  np: readonly string[];
}

const AMOUNT = "<amount: of {amount}>";

export const OUTCOME_SPECS: Record<Outcome, OutcomeSpec> = {
  "full refund": {
    tone: "good",
    chat: [
      "I've [gone ahead and |]refunded {amount} to your [card|original payment method]. [You should see it|It should show up] [in|within] {days} business days.",
      "I've [put through|processed] a refund for the [whole|full] {amount}; [banks usually take|it can take] {days} business days to [show it|post it].",
      "I can refund [that|the order] in full. [Done|It's done], {amount} is on its way back to you, [give it|allow] {days} business days.",
    ],
    agentPast: [`issued a full refund${AMOUNT}`, `approved a full refund${AMOUNT}`, `processed a full refund${AMOUNT} to {cs} card`],
    agentPresent: [`issues a full refund${AMOUNT}`, `gives {c} a full refund${AMOUNT}`, `arranges a full refund${AMOUNT}`],
    passive: [
      `a full refund${AMOUNT} was issued[ and should arrive within {days} business days|]`,
      `a full refund${AMOUNT} was approved`,
      `{c} will get a full refund${AMOUNT} within {days} business days`,
      `{c} got a full refund${AMOUNT}`,
    ],
    np: [`a full refund${AMOUNT}`],
  },
  "partial refund": {
    tone: "good",
    chat: [
      "I can refund the difference, which comes to {amount}. It'll be back on your card in {days} business days.",
      "[Good news|Okay], you're within the window, so I've refunded the {amount} difference to your card.",
    ],
    agentPast: [`issued a partial refund${AMOUNT}`, `approved a partial refund${AMOUNT} for the price drop`],
    agentPresent: [`issues a partial refund${AMOUNT}`, `gives {c} a partial refund${AMOUNT}`],
    passive: [`a partial refund${AMOUNT} was issued`, `{c} got a partial refund${AMOUNT}`, `{c} will receive a partial refund${AMOUNT}`],
    np: [`a partial refund${AMOUNT}`],
  },
  "store credit": {
    tone: "neutral",
    chat: [
      "I can't send the money back to your card, but I can [give you|add] {amount} in credit [to your account|right away]. [You can spend it on anything in the store|It doesn't expire].",
      "What I can do is put {amount} on your account as credit for a future order. Would that work?",
    ],
    agentPast: [`offered {amount} in store credit`, `gave {c} store credit<amount: worth {amount}>`, `added store credit<amount: of {amount}> to {cs} account`],
    agentPresent: [`offers {amount} in store credit`, `gives {c} store credit<amount: worth {amount}>`],
    passive: [`{c} received store credit<amount: of {amount}> instead of cash`, `{a} added store credit<amount: of {amount}> to {cs} account`],
    np: [`store credit<amount: of {amount}>`],
  },
  "return label": {
    tone: "good",
    chat: [
      "I'll email you a prepaid return label. [Once we get {itObj} back|As soon as the package reaches us], we'll refund {amount}.",
      "[The easiest way is to|Please] send {itObj} back with the free return label I'm emailing you now; the refund goes out when {it} [arrives|reaches our warehouse].",
    ],
    agentPast: ["sent a prepaid return label", "emailed {c} a return label", "sent a return label so {c} can send the item back"],
    agentPresent: ["sends a prepaid return label", "emails {c} a return label"],
    passive: ["a prepaid return label was sent", "{c} will use a free return label and get the money back later", "{c} got a return label to send the item back"],
    np: ["a prepaid return label"],
  },
  replacement: {
    tone: "good",
    chat: [
      "I'll send you a new {product} [at no cost|free of charge]. It should [arrive|be there] by {weekday}.",
      "I've placed [a new order|an order for a new one] for you; it [ships today|goes out tomorrow] and should arrive by {weekday}. [No need to send the old one back|You can keep the old one].",
      "I'm sending a new {product} out [today|right away], [express shipping|at no charge], [so expect it|you should have it] by {weekday}.",
    ],
    agentPast: ["sent a replacement", "arranged a replacement[ to arrive by {weekday}|]", "shipped a free replacement"],
    agentPresent: ["sends a replacement", "arranges a free replacement", "promises a replacement by {weekday}"],
    passive: ["a replacement was sent[ and should arrive by {weekday}|]", "{c} will get a replacement[ by {weekday}|]", "a free replacement is on the way"],
    np: ["a free replacement", "a replacement[ due by {weekday}|]"],
  },
  discount: {
    tone: "neutral",
    chat: [
      "[As an apology|To make up for it|For the trouble], I've added a {pct}% discount [code to your account|for your next order].",
      "I can offer you {pct}% off your next order [for the trouble|as a thank you for your patience].",
    ],
    agentPast: ["offered a {pct}% discount", "gave {c} a {pct}% discount[ on the next order|]", "added a {pct}% discount[ to {cs} account|]"],
    agentPresent: ["offers a {pct}% discount", "gives {c} a {pct}% discount[ on the next order|]"],
    passive: ["{c} got a {pct}% discount[ for the trouble|]", "a {pct}% discount was offered[ as an apology|]"],
    np: ["a {pct}% discount"],
  },
  wait: {
    tone: "neutral",
    chat: ["[Unfortunately|I'm afraid] there's nothing I can change right now; it should be sorted within {days} days."],
    agentPast: ["asked {c} to wait {span}[ {purpose}|]", "told {c} to wait {span}[ {purpose}|]"],
    agentPresent: ["asks {c} to wait {span}[ {purpose}|]", "tells {c} to wait {span}[ {purpose}|]"],
    passive: ["{c} was asked to wait {span}[ {purpose}|]", "{c} will have to wait {span}[ {purpose}|]", "{c} was told to wait {span}"],
    np: [],
  },
  specialist: {
    tone: "neutral",
    chat: [
      "I'm going to pass this to our {team}[, they handle cases like this|]. [Someone|A specialist] will [email|call] you within {days} business days.",
      "This needs a specialist, so I've [escalated|forwarded] your case to the {team}. [Expect a call|You'll get an email] within {days} business days.",
      "I don't have the tools to fix this from here, [sorry|I'm afraid]. I've opened a case with the {team} and they'll contact you within {days} business days.",
    ],
    agentPast: ["escalated the case to a specialist[ on the {team}|]", "passed the case to a specialist[ from the {team}|]", "handed the problem to a specialist"],
    agentPresent: ["escalates the case to a specialist[ on the {team}|]", "passes the case to a specialist"],
    passive: [
      "a specialist[ from the {team}|] will contact {c} within {days} business days",
      "the case was escalated to a specialist[ on the {team}|]",
      "a specialist will follow up[ within {days} business days|]",
    ],
    np: ["an escalation to a specialist"],
  },
  declined: {
    tone: "bad",
    chat: [
      "[I'm sorry, but|Unfortunately,] I can't [do that|approve that] because {reason}.",
      "I [checked|looked into it], and [I'm afraid|sadly] I have to say no this time: {reason}.",
    ],
    agentPast: ["declined the request because {reasonSummary}", "declined since {reasonSummary}", "declined the request, as {reasonSummary}"],
    agentPresent: ["says the request is declined because {reasonSummary}", "explains that the request is declined since {reasonSummary}"],
    passive: ["the request was declined because {reasonSummary}", "the request was declined since {reasonSummary}"],
    np: [],
  },
  troubleshooting: {
    tone: "good",
    chat: ["[Great|Perfect|Glad to hear it], so that was the problem."],
    agentPast: ["fixed it through troubleshooting[ by {fix}|]", "solved it with some troubleshooting[, {fix}|]", "walked {c} through troubleshooting that fixed it"],
    agentPresent: ["fixes it through troubleshooting[ by {fix}|]", "walks {c} through troubleshooting that solves it"],
    passive: ["the problem was solved through troubleshooting[ by {fix}|]", "some troubleshooting fixed it[ ({fix})|]", "a bit of troubleshooting solved it"],
    np: ["some quick troubleshooting"],
  },
  "free repair": {
    tone: "good",
    chat: [
      "[Good news|Okay], the {product} {is} still under warranty, so the repair won't cost you anything. I'll email a shipping label, and repairs take about {days} business days.",
      "Since you're covered, I've booked a repair at no charge. Ship {itObj} with the label I'm sending and [it'll be fixed|we'll fix {itObj}] within {days} business days.",
    ],
    agentPast: ["arranged a free repair", "booked a free repair under the warranty", "set up a free repair<!product: of the item>"],
    agentPresent: ["arranges a free repair", "books a free repair under the warranty"],
    passive: ["a free repair was arranged", "{c} will get a free repair[ within {days} business days|]", "the item will get a free repair under the warranty"],
    np: ["a free repair"],
  },
  "new address": {
    tone: "good",
    chat: [
      "[I caught it in time|It hasn't shipped yet, lucky timing], so I've changed the delivery address to {street}, {city}.",
      "Done, the order will now go to {street}, {city}. [You'll get an updated confirmation email|You should see it on the order page].",
    ],
    agentPast: ["sent the order to the new address in {city}", "changed the order to the new address[ on {street}|]", "saved the new address[ in {city}|]"],
    agentPresent: ["changes the order to the new address[ in {city}|]", "saves the new address"],
    passive: ["the order will go to the new address in {city}", "the new address was saved[ before shipping|]"],
    np: ["delivery to the new address in {city}"],
  },
  "reset link": {
    tone: "good",
    chat: [
      "I've sent a new reset link to {email}. [It expires in 30 minutes|It's good for one hour], so [use it soon|please use it right away].",
      "Okay, a fresh reset link is on its way to {email}. [Click it and choose a new password|Follow it to set a new password].",
    ],
    agentPast: ["sent a new reset link", "emailed a fresh reset link[ to {cs} inbox|]", "sent a reset link that worked"],
    agentPresent: ["sends a new reset link", "emails {c} a fresh reset link"],
    passive: ["a new reset link was sent", "{c} got a fresh reset link by email"],
    np: ["a fresh reset link"],
  },
  unlocked: {
    tone: "good",
    chat: [
      "I've unlocked your account[ from my side|], so you can sign in now.",
      "I've cleared the lock. Your account is open again; try logging in now.",
    ],
    agentPast: ["unlocked the account[ after a security check|]", "unlocked {cs} account"],
    agentPresent: ["gets the account unlocked[ after a security check|]", "has {cs} account unlocked"],
    passive: ["the account was unlocked[ after a security check|]", "{cs} account was unlocked"],
    np: [],
  },
  switched: {
    tone: "good",
    chat: [
      "[Done|All set]! You're now on the {newPlan}<amount:, which is {amount} a month>, starting [with your next bill|today].",
      "I've moved you to the {newPlan}<amount: at {amount} a month>. The change shows up on your next bill.",
    ],
    agentPast: ["switched {c} to the {newPlan}<amount: at {amount} a month>", "switched the account to the {newPlan}"],
    agentPresent: ["gets {c} switched to the {newPlan}<amount: at {amount} a month>", "has the account switched to the {newPlan}"],
    passive: ["the account was switched to the {newPlan}<amount: at {amount} a month>", "{c} was switched to the {newPlan}"],
    np: [],
  },
  cancelled: {
    tone: "neutral",
    chat: [
      "[Okay|Understood]. I've cancelled your {product}. You'll keep access until {endDate}[ and won't be charged again|].",
      "Done, the {product} is cancelled. [There won't be any more charges|No further payments will be taken], and it stays active until {endDate}.",
    ],
    agentPast: ["cancelled the plan[, effective {endDate}|]", "cancelled the subscription[ as of {endDate}|]"],
    agentPresent: ["confirms the plan is cancelled[, effective {endDate}|]", "gets the subscription cancelled"],
    passive: ["the subscription was cancelled[ and ends on {endDate}|]", "the plan was cancelled[ with access until {endDate}|]"],
    np: [],
  },
};

/** The customer's reaction to the resolution, by tone. */
export const REACTIONS: Record<Tone, readonly string[]> = {
  good: [
    "[Great|Perfect|Awesome], thank you[ so much|]!",
    "That's [great|a relief], thanks.",
    "Oh good, [I appreciate it|that's all I needed].",
    "[Thanks|Thank you], that works for me.",
  ],
  neutral: [
    "Okay, [I guess that's fine|that'll have to do].",
    "Alright, [thanks for checking|I'll wait and see].",
    "Fine, [thanks|I appreciate the help].",
    "Okay. Not ideal, but [okay|fine].",
  ],
  bad: [
    "That's [really |]disappointing.",
    "[Seriously|Really]? [That's not great|I'm not happy about that].",
    "Fine. [I won't be ordering again|I guess I'll live with it].",
    "Okay, I understand, even if I don't like it.",
  ],
};
