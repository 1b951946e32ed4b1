import type { Role } from '#db/schema/people'
import type { Bilingual, PrivacyMode } from '#db/schema/surveys'

/** A reply as anyone shown it reads it: its author is named (repliers are not anonymous). */
export type ReplyView = { id: string; author: string | null; role: Role | null; body: string; createdAt: string }
/** A comment on the results page: its text, its replies and the opaque reference to reply through. */
export type CommentThread = { ref: string; text: string; replies: ReplyView[] }
export type CommentThreads = { canReply: boolean; items: CommentThread[] }
/** A comment of the respondent's own, on their private page or /me. */
export type PrivateComment = { question: Bilingual | null; text: string; replies: ReplyView[] }
export type PrivateReplies = { surveyTitle: string; privacy: PrivacyMode; comments: PrivateComment[] }
export type MyReply = PrivateComment & { surveyTitle: string }
