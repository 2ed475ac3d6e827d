// Static data of the synthetic registry: Lombardy's health organisations (docs/domain.md: 8 ATS,
// about 27 ASST - count not verified -, public IRCCS, AREU) and Italian names.
export interface OrgSeed {
    code: string;
    name: string;
    type: 'ATS' | 'ASST' | 'IRCCS' | 'AREU';
    /** identifier system used in the export; a few use the FLS code only */
    system: 'urn:fse2:codice-ente' | 'http://hl7.it/sid/fls';
}

const ats = [
    'Città Metropolitana di Milano',
    'Insubria',
    'Brianza',
    'Bergamo',
    'Brescia',
    'Val Padana',
    'Pavia',
    'Montagna'
];
const asst = [
    'Grande Ospedale Metropolitano Niguarda',
    'Santi Paolo e Carlo',
    'Fatebenefratelli Sacco',
    'Nord Milano',
    'Rhodense',
    'Ovest Milanese',
    'Melegnano e della Martesana',
    'Gaetano Pini-CTO',
    'Lodi',
    'Brianza',
    'Lariana',
    'Sette Laghi',
    'Valle Olona',
    'Lecco',
    'Papa Giovanni XXIII',
    'Bergamo Est',
    'Bergamo Ovest',
    'Spedali Civili di Brescia',
    'Franciacorta',
    'Garda',
    'Cremona',
    'Crema',
    'Mantova',
    'Pavia',
    'Valtellina e Alto Lario',
    'Valcamonica',
    'Monza'
];
const irccs = [
    'Fondazione IRCCS San Gerardo dei Tintori',
    "Fondazione IRCCS Ca' Granda Ospedale Maggiore Policlinico",
    'Fondazione IRCCS Istituto Nazionale dei Tumori',
    'Fondazione IRCCS Istituto Neurologico Carlo Besta',
    'Fondazione IRCCS Policlinico San Matteo'
];

export const ORGANIZATIONS: OrgSeed[] = [
    ...ats.map((n, i) => ({
        code: `030ATS${String(321 + i)}`,
        name: `ATS ${n}`,
        type: 'ATS' as const,
        system: 'urn:fse2:codice-ente' as const
    })),
    ...asst.map((n, i) => ({
        code: `030ASST${String(701 + i)}`,
        name: `ASST ${n}`,
        type: 'ASST' as const,
        system: (i % 9 === 4
            ? 'http://hl7.it/sid/fls'
            : 'urn:fse2:codice-ente') as OrgSeed['system']
    })),
    ...irccs.map((n, i) => ({
        code: `030IRCCS${String(901 + i)}`,
        name: n,
        type: 'IRCCS' as const,
        system: 'urn:fse2:codice-ente' as const
    })),
    {
        code: '030AREU001',
        name: 'AREU Agenzia Regionale Emergenza Urgenza',
        type: 'AREU',
        system: 'urn:fse2:codice-ente'
    }
];

export const SURNAMES = [
    'Rossi',
    'Russo',
    'Ferrari',
    'Esposito',
    'Bianchi',
    'Romano',
    'Colombo',
    'Ricci',
    'Marino',
    'Greco',
    'Bruno',
    'Gallo',
    'Conti',
    'De Luca',
    'Mancini',
    'Costa',
    'Giordano',
    'Rizzo',
    'Lombardi',
    'Moretti',
    "D'Angelo",
    "Dell'Acqua",
    "Sant'Ambrogio",
    'Fabbri',
    'Barbieri',
    'Galli',
    'Cattaneo',
    'Brambilla',
    'Villa',
    'Fumagalli',
    'Mazza',
    'Parisi',
    'Sala',
    "D'Amico",
    'Nicolò',
    'Bonfà',
    'Cantù',
    'Zanetti',
    'Ferrè',
    'Locatelli',
    'Pozzi',
    'Riva',
    "Dall'Olio",
    'Galbiati',
    'Mariani',
    'Rinaldi',
    'Testa',
    'Vitali',
    'Longhi',
    'Pellegrini'
];

export const GIVEN: Array<[string, boolean]> = [
    ['Niccolò', false],
    ['Andrea', false],
    ['Giulia', true],
    ['Francesca', true],
    ['Luca', false],
    ['Marco', false],
    ['Chiara', true],
    ['Sara', true],
    ['Matteo', false],
    ['Lorenzo', false],
    ['Alessandro', false],
    ['Giuseppe', false],
    ['Maria', true],
    ['Anna', true],
    ['Paola', true],
    ['Elena', true],
    ['Federica', true],
    ['Giorgio', false],
    ['Tommaso', false],
    ['Martina', true],
    ['Noemi', true],
    ['Zoe', true],
    ['Gianluca', false],
    ['Pier Paolo', false],
    ['Maria Grazia', true],
    ['Nicolò', false],
    ['Mattia', false],
    ['Ilaria', true],
    ['Agnese', true],
    ['Beatrice', true],
    ['Caterina', true],
    ['Fabrizio', false],
    ['Raffaele', false],
    ['Lucia', true],
    ['Salvatore', false]
];

/** Birthplace codes (comune) in Lombardy. */
export const PLACES = [
    'F205',
    'A794',
    'B157',
    'F704',
    'G388',
    'D150',
    'E884',
    'C933',
    'E507',
    'I829',
    'L682',
    'E648'
];

/** FSE role code -> plausible target categories (global value set FseTargetCategory). */
export const ROLES: Array<[string, string[]]> = [
    ['APR', ['MMG', 'PLS']],
    ['AAS', ['MedicoOspedaliero', 'SpecialistaAmbulatoriale']],
    ['DRS', ['Dirigente']],
    ['INF', ['Infermiere', 'Ostetrica', 'TecnicoSanitario']],
    ['FAR', ['Farmacista']],
    ['PSS', ['OperatoreAccoglienza']],
    ['DSA', ['Dirigente']],
    ['DAM', ['Dirigente']],
    ['OAM', ['Amministrativo', 'OperatoreAccoglienza']],
    ['RSA', ['MedicoOspedaliero']],
    ['MRP', ['SpecialistaAmbulatoriale', 'Formatore']]
];

/**
 * Another registry's spelling of the coded elements (GenerateOptions.spelling = 'labels'): the
 * labels its users see rather than our picklists' API names. Test data, like the rest of this
 * file: the worker reads the real labels from force-app or the org.
 */
export const CATEGORY_LABELS: Record<string, string> = {
    MMG: 'Medico di medicina generale (MMG)',
    PLS: 'Pediatra di libera scelta (PLS)',
    MedicoOspedaliero: 'Medico ospedaliero',
    SpecialistaAmbulatoriale: 'Specialista ambulatoriale',
    Infermiere: 'Infermiere',
    Ostetrica: 'Ostetrica/Ostetrico',
    TecnicoSanitario: 'Tecnico sanitario',
    Farmacista: 'Farmacista',
    OperatoreAccoglienza: 'Operatore di accoglienza CUP/URP',
    Amministrativo: 'Personale amministrativo',
    Dirigente: 'Dirigente',
    Formatore: 'Formatore'
};

export const ROLE_LABELS: Record<string, string> = {
    APR: 'APR - Medico di medicina generale / Pediatra di libera scelta',
    AAS: 'AAS - Personale di assistenza ad alta specializzazione',
    DRS: 'DRS - Dirigente sanitario',
    INF: 'INF - Personale infermieristico o altro professionista sanitario',
    FAR: 'FAR - Farmacista',
    PSS: 'PSS - Professionista del sociale',
    DSA: 'DSA - Direttore sanitario',
    DAM: 'DAM - Direttore amministrativo',
    OAM: 'OAM - Operatore amministrativo',
    RSA: 'RSA - Medico RSA',
    MRP: 'MRP - Medico della rete di patologia'
};

export const ORG_TYPE_LABELS: Record<string, string> = {
    ATS: 'ATS - Agenzia di Tutela della Salute',
    ASST: 'ASST - Azienda Socio Sanitaria Territoriale',
    IRCCS: 'IRCCS - Istituto di Ricovero e Cura a Carattere Scientifico',
    AREU: 'AREU - Agenzia Regionale Emergenza Urgenza'
};

export const PURPOSE_LABELS: Record<string, string> = {
    formazione: 'Formazione',
    comunicazione: 'Comunicazione',
    sondaggi: 'Sondaggi'
};

export const CHANNEL_LABELS: Record<string, string> = { email: 'E-mail', sms: 'SMS' };
