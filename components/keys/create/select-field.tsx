/** The labelled select lives with the other fields; Create Key, Setup and Users import it from here too. */
export { SelectField } from "@/components/ui/field";
