/**
 * Answers arrive out of order: a session opened, then another before the first answered. Every
 * load takes a ticket and drops its answer when a newer ticket has been issued since.
 */
let session = 0;
let activation = 0;
let scroll = 0;

export const nextSessionTicket = () => ++session;
export const isCurrentSession = (ticket: number) => ticket === session;
/** The ticket of the session open now (a live refresh of it takes no new one). */
export const currentSessionTicket = () => session;
export const nextActivationTicket = () => ++activation;
export const isCurrentActivation = (ticket: number) => ticket === activation;
export const nextScrollNonce = () => ++scroll;
