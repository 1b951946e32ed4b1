import { createContext, useContext } from 'react'

const NonceContext = createContext<string | undefined>(undefined)
export const NonceProvider = NonceContext.Provider

/** The CSP nonce of this response, for the few inline scripts Remix writes. */
export function useNonce() {
  return useContext(NonceContext)
}
