package io.imagescaler.moderation.model;

/** The five classes of nsfwjs's models, in the order of the model's output. */
public enum NsfwClass {
    /** Safe-for-work drawings, anime included. */
    DRAWING("Drawing"),
    /** Pornographic drawings. */
    HENTAI("Hentai"),
    /** Safe-for-work photos. */
    NEUTRAL("Neutral"),
    /** Pornographic photos, sexual acts. */
    PORN("Porn"),
    /** Sexually explicit but not pornographic (e.g. nipples, lingerie). */
    SEXY("Sexy");

    private final String label;

    NsfwClass(String label) {
        this.label = label;
    }

    /** The name nsfwjs gives the class. */
    public String label() {
        return label;
    }
}
