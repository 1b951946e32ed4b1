/** A message is a string or a function of its parameters (plurals, names, numbers). */
export type Message = string | ((...args: never[]) => string)
export type MessageTree = { [key: string]: Message | MessageTree }

/** Widens literal types so the Italian side must match the English shape, key for key. */
export type Shape<T> = {
  [K in keyof T]: T[K] extends string ? string : T[K] extends (...args: infer A) => string ? (...args: A) => string : Shape<T[K]>
}

/** Both languages side by side: a key missing in Italian (or an extra one) is a type error. */
export function defineMessages<const T extends MessageTree>(messages: { en: T; it: Shape<T> }) {
  return messages as unknown as { en: Shape<T>; it: Shape<T> }
}
