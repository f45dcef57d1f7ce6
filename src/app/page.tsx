import { LabList } from "./_components/LabList";

export default function HomePage() {
  return (
    <>
      <h1>Labs</h1>
      <p className="tagline">
        Each lab gives you a Docker host of your own: you type the tutorial's commands, and each step checks what you made. They
        follow the tutorial's order.
      </p>
      <LabList />
    </>
  );
}
