import { defineMessages } from '../define'

/** The in-app help on anonymity (the full model, in English, is docs/privacy.md). */
export const help = defineMessages({
  en: {
    privacy: {
      title: 'How anonymity works',
      intro: 'Nobody learns who said what: not HR, not your manager, not an administrator. This is how Pulseboard keeps that promise, for every screen, export and API call together, not only for each figure on its own.',
      points: {
        threshold: (p: { threshold: number }) =>
          `A group is shown only with at least ${p.threshold} respondents (the threshold of each round is fixed when it starts). Comments need at least as many.`,
        subtraction:
          'A group is also hidden when subtracting groups from each other would single out fewer people than that: a team minus its sub-teams, the company minus its teams, two small teams hidden together.',
        frozen: 'Results are fixed when a round closes, with the teams as they were then: later moves or new teams never change past results.',
        periods:
          'Months and quarters are made of whole closed rounds, and a period is shown only when every round in it is. Any dates you pick are widened to whole periods, so two views a day apart show the same figures.',
        open: 'An open round shows no results until it closes; HR sees only how many have answered, counted to the last full hour, for groups of at least the threshold.',
        reps: 'No one’s own score is shown for anonymous or confidential surveys, in any form. Only identified surveys, which say so before you answer, show names.',
        history: 'History imported from another tool stays in rounds of its own, before Pulseboard’s own rounds, and never mixes with them.',
        comments: 'Comments are shown as text only, in a shuffled order, without dates.',
      },
      proof: 'A test in Pulseboard’s own suite attacks these rules on generated organisations, comparing every figure with every other, and fails if it can single anyone out.',
    },
  },
  it: {
    privacy: {
      title: 'Come funziona l’anonimato',
      intro: 'Nessuno sa chi ha detto cosa: né le Risorse Umane, né il tuo responsabile, né un amministratore. Ecco come Pulseboard mantiene questa promessa, per tutte le schermate, le esportazioni e le chiamate API insieme, non solo per ogni dato preso da solo.',
      points: {
        threshold: (p: { threshold: number }) =>
          `Un gruppo è mostrato solo con almeno ${p.threshold} rispondenti (la soglia di ogni round è fissata quando inizia). Per i commenti ne servono almeno altrettanti.`,
        subtraction:
          'Un gruppo è nascosto anche quando sottraendo i gruppi l’uno dall’altro si isolerebbero meno persone di così: un team meno i suoi sotto-team, l’azienda meno i suoi team, due team piccoli nascosti insieme.',
        frozen: 'I risultati sono fissati alla chiusura di un round, con i team com’erano allora: spostamenti o nuovi team successivi non cambiano mai i risultati passati.',
        periods:
          'Mesi e trimestri sono fatti di round chiusi interi, e un periodo è mostrato solo se lo è ogni suo round. Le date scelte sono allargate a periodi interi, così due viste a un giorno di distanza mostrano gli stessi dati.',
        open: 'Un round aperto non mostra risultati finché non si chiude; le Risorse Umane vedono solo quante persone hanno risposto, contate fino all’ultima ora intera, per gruppi di almeno la soglia.',
        reps: 'Per i sondaggi anonimi e riservati non si mostra mai il punteggio di una singola persona, in nessuna forma. Solo i sondaggi nominativi, che lo dicono prima della risposta, mostrano i nomi.',
        history: 'Lo storico importato da un altro strumento resta in round propri, precedenti a quelli di Pulseboard, e non si mescola mai con essi.',
        comments: 'I commenti sono mostrati solo come testo, in ordine casuale, senza date.',
      },
      proof: 'Un test della suite di Pulseboard attacca queste regole su organizzazioni generate, confrontando ogni dato con ogni altro, e fallisce se riesce a isolare qualcuno.',
    },
  },
})
